// Bidirectional-text controls in names (issue 13, class 6): "vm-\u202Etxt.exe" would show as
// "vm-exe.txt". Pages and the CSV show every control as a visible `\u202E` escape through one
// helper (lib/format.ts displayName); the raw name stays stored and is what virsh gets.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { VmsTable } from "@/components/fleet/vms-table";
import { displayName } from "@/lib/format";
import { migrationsCsv } from "@/lib/reports/csv";
import type { WindowReport } from "@/lib/reports/window-report";
import { domainArg } from "@/lib/virsh/validate";

const CONTROLS = [
  "\u061C",
  "\u200E",
  "\u200F",
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];
const ANY_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const NAME = "vm-\u202Etxt.exe";

describe("displayName", () => {
  it("shows every bidi control as a visible escape and leaves other text alone", () => {
    for (const c of CONTROLS) {
      const shown = displayName(`a${c}b`);
      expect(shown).not.toMatch(ANY_CONTROL);
      expect(shown).toBe(`a\\u${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}b`);
    }
    expect(displayName(NAME)).toBe("vm-\\u202Etxt.exe");
    for (const plain of ["web-01", "שרת-1", "خادم", "vm 名前", ""]) expect(displayName(plain)).toBe(plain);
    expect(displayName(null)).toBe("");
  });

  it("changes only what is shown: virsh still gets the stored name", () => {
    expect(domainArg(NAME)).toBe(NAME);
  });
});

describe("where names are shown", () => {
  it("the migrations CSV", () => {
    const row = {
      id: "m1",
      vmName: NAME,
      source: "hv\u20671",
      dest: "hv\u200F2",
      state: "failed",
      startedAt: 0,
      endedAt: 1,
      durationMs: 1,
      downtimeMs: null,
      dataBytes: 0,
      escalations: 0,
      interventions: 0,
      convergedAlone: false,
      error: "lost \u202Bx",
    };
    const csv = migrationsCsv(
      { window: { downtimeBudgetMs: 1000 }, rows: [row] } as unknown as WindowReport,
      "https://convoy.example",
    );
    expect(csv).not.toMatch(ANY_CONTROL);
    expect(csv).toContain("vm-\\u202Etxt.exe,hv\\u20671,hv\\u200F2,failed");
  });

  it("a page component (the fleet's VM table) renders the escape, never the control", () => {
    const html = renderToStaticMarkup(
      createElement(VmsTable, {
        vms: [
          {
            id: "v1",
            uuid: "u1",
            name: NAME,
            state: "running",
            stateReason: null,
            vcpus: 1,
            memoryBytes: 1,
            storage: "shared",
            disks: [],
            migrating: false,
            hostName: "hv\u202D1",
            hostId: "h1",
          },
        ],
      }),
    );
    const text = html.replace(/<[^>]*>/g, ""); // what the reader sees (attributes keep the raw name for selectors)
    expect(text).not.toMatch(ANY_CONTROL);
    expect(text).toContain("vm-\\u202Etxt.exe");
    expect(text).toContain("hv\\u202D1");
  });
});
