import { describe, expect, it } from "vitest";
import { checkSource, listActions } from "./check-actions";

const FILE = "lib/actions/hosts.ts";

describe("check-actions", () => {
  it("accepts actions built with the wrapper", () => {
    expect(
      checkSource(
        FILE,
        `"use server";\nimport x from "y";\nexport const addHostAction = action({ schema: s, role: "admin", audit: "host.add" }, async () => 1);\n`,
      ),
    ).toEqual([]);
  });
  it("requires the config to be written literally, so tests can read each action's role", () => {
    const problems = checkSource(FILE, `"use server";\nexport const addHostAction = action(config, async () => 1);\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("addHostAction");
  });
  it("lists the declared actions with their role and audit name", () => {
    const src = `"use server";\nexport const aAction = action({ schema: x, role: "viewer", audit: "a" }, f);\nexport const bAction = action(\n  { schema: y, role: "admin", audit: "b.c" },\n  g,\n);\n`;
    expect(listActions(src)).toEqual([
      { name: "aAction", schema: "x", role: "viewer", audit: "a" },
      { name: "bAction", schema: "y", role: "admin", audit: "b.c" },
    ]);
  });
  it("lists an action that names each call's audit action, under its fallback name", () => {
    const src = `"use server";\nexport const cAction = action({ schema: z, role: "operator", audit: "m.control", auditAs: nameOf }, f);\n`;
    expect(listActions(src)).toEqual([{ name: "cAction", schema: "z", role: "operator", audit: "m.control" }]);
    expect(checkSource(FILE, src)).toEqual([]);
  });
  it("rejects a bare exported async function", () => {
    const problems = checkSource(FILE, `"use server";\nexport async function deleteEverything() {}\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("deleteEverything");
  });
  it("rejects re-exports and helpers", () => {
    expect(checkSource(FILE, `"use server";\nexport { helper } from "./h";\nexport const limit = 5;\n`)).toHaveLength(
      2,
    );
  });
  it("rejects use server outside lib/actions and inline directives", () => {
    expect(
      checkSource(
        "app/page.tsx",
        `"use server";\nexport const fooAction = action({ schema: s, role: "admin", audit: "foo" }, f);\n`,
      ),
    ).toHaveLength(1);
    expect(checkSource("app/page.tsx", `async function f() {\n  "use server";\n}\n`)).toHaveLength(1);
  });
  it("ignores files without the directive", () => {
    expect(checkSource("lib/db/hosts.ts", "export function getHost() {}\n")).toEqual([]);
  });
});
