// The header as the browser gets it (server-rendered markup), on the real lab s2b run: its last
// 1 Hz sample was pass 18 with 9.5 MiB left; libvirt's completed job says 23 passes, 0 left.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { MigrationView } from "@/lib/schemas/wire";
import { parseTimelineCsv } from "@/lib/migration/timeline-csv";
import { headerStat as stat, renderHeader } from "@/tests/support/header-markup";

const s2b = parseTimelineCsv(
  readFileSync(new URL("../../../../lib/migration/fixtures/s2b-domjobinfo-timeline.csv", import.meta.url), "utf8"),
);
const samples = s2b.map(({ atMs, ...rest }) => ({ at: new Date(atMs).toISOString(), ...rest }));
// s2b-source-domjobinfo-completed-keep.txt in rawstats form (what the worker stores).
const completedStats = {
  operation: "5",
  time_elapsed: "130303",
  downtime: "28",
  data_total: "537403392",
  data_processed: "4356163420",
  data_remaining: "0",
  memory_bps: "33536942",
  memory_iteration: "23",
  memory_dirty_rate: "0",
  memory_page_size: "4096",
};

const view = (over: Partial<MigrationView>): MigrationView =>
  ({
    id: "00000000-0000-0000-0000-000000000001",
    vmName: "vm-ac",
    source: { id: "a", name: "hv1" },
    dest: { id: "b", name: "hv2" },
    state: "running",
    options: { maxDowntimeMs: 300, bandwidthMiB: 32 },
    progressPct: 100,
    guestPaused: false,
    restartOfId: null,
    policyName: null,
    createdAt: "2026-11-23T00:49:30.000Z",
    startedAt: "2026-11-23T00:49:31.000Z",
    vcpus: 2,
    memoryBytes: 537403392,
    completedStats: null,
    samples,
    events: [],
    ...over,
  }) as MigrationView;

const render = (v: MigrationView) => renderHeader(v, "ended");

describe("the migration header tells libvirt's truth", () => {
  it("a completed migration shows the completed job's passes and 0 remaining, not its last sample", () => {
    const html = render(view({ state: "completed", completedStats }));
    expect(stat(html, "Passes")).toBe("23");
    expect(stat(html, "Remaining")).toBe("0 B / 513 MiB");
    expect(html).toContain('data-figures="completed"');
  });

  it("a finished run without completed statistics says its figures are the last sample's", () => {
    const html = render(view({ state: "completed", completedStats: null }));
    expect(stat(html, "Passes")).toBe("18");
    expect(html).toContain("Passes (last sample)");
  });

  it("failed and cancelled runs show no percentage; a non-converging pass shows pass and remaining, no percentage", () => {
    for (const state of ["failed", "cancelled"] as const) {
      const html = render(view({ state, progressPct: 85 }));
      expect(html).not.toMatch(/\d+(\.\d)?%/);
      expect(html).toContain("no progress figure");
    }
    const html = render(view({ state: "running", progressPct: 99 }));
    expect(html).not.toMatch(/\d+(\.\d)?%/);
    expect(html).toContain("Pass 18 · 9.5 MiB left");
  });

  it("before libvirt reports memory totals the header says 'starting', not '0 B / 0 B'", () => {
    const html = render(view({ state: "running", samples: samples.slice(0, 1), progressPct: 0 }));
    expect(samples[0]!.totalBytes).toBe(0); // lab s2a/s2b: the job's first reading, 108 ms in
    expect(stat(html, "Remaining")).toBe("starting");
    expect(html).toContain("Starting — libvirt is setting the job up");
  });
});
