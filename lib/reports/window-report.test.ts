import { describe, expect, it } from "vitest";
import { csvCell, migrationsCsv } from "./csv";
import { MIGRATION_COLUMNS } from "./report-view";
import { buildGantt, downtimeHistogram } from "./report-charts";
import {
  buildWindowReport,
  notConvergedIds,
  pageOf,
  percentile,
  type ReportAction,
  type ReportInput,
  type ReportMigration,
  type ReportMove,
} from "./window-report";

const T0 = Date.UTC(2026, 10, 1, 2, 0, 0);

function mig(id: string, over: Partial<ReportMigration> = {}): ReportMigration {
  return {
    id,
    vmName: `vm-${id}`,
    source: "hv1",
    dest: "hv2",
    state: "completed",
    createdAt: T0,
    startedAt: T0,
    endedAt: T0 + 10_000,
    totalTimeMs: 10_000,
    downtimeMs: 100,
    dataBytes: 1000,
    verdict: "converging",
    error: null,
    guestLocation: "destination",
    guestLocationHost: "hv2",
    guestHealth: "healthy",
    ...over,
  };
}
const move = (
  vmName: string,
  state: string,
  plannedStartMs = 0,
  plannedEndMs = 10_000,
  sourceHost = "hv1",
): ReportMove => ({ vmName, state, plannedStartMs, plannedEndMs, sourceHost });

function input(over: Partial<ReportInput> = {}): ReportInput {
  return {
    window: {
      id: "w1",
      name: "night drain",
      state: "completed",
      startedAt: T0,
      endedAt: T0 + 60_000,
      downtimeBudgetMs: 500,
      policyName: "default",
    },
    migrations: [],
    moves: [],
    unplaced: [],
    plannedDirtyBps: {},
    actions: [],
    windowActions: [],
    dirtyRates: {},
    trend: [],
    ...over,
  };
}

describe("percentile (nearest rank, as Postgres percentile_disc)", () => {
  it("picks an observed value: the ceil(p·n)-th smallest", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 0.5)).toBe(5); // ceil(5) = 5th
    expect(percentile(xs, 0.95)).toBe(10); // ceil(9.5) = 10th
    expect(percentile(xs, 0.9)).toBe(9);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
    // 20 values: 0.95·20 = 19 exactly (no float round-up to the 20th).
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(19);
  });
});

describe("buildWindowReport: headline figures", () => {
  // Four VMs: a moved after a failed attempt, b moved (slow, over budget, its guest dead after landing),
  // c failed for good, d skipped; e unplaced; x landed, its health unknown.
  const migrations = [
    mig("a1", {
      vmName: "a",
      state: "failed",
      totalTimeMs: null,
      endedAt: T0 + 4_000,
      downtimeMs: null,
      dataBytes: 500,
      error: "link down",
    }),
    mig("a2", {
      vmName: "a",
      startedAt: T0 + 5_000,
      endedAt: T0 + 20_000,
      totalTimeMs: 15_000,
      downtimeMs: 200,
      dataBytes: 3000,
    }),
    mig("b1", {
      vmName: "b",
      startedAt: T0 + 1_000,
      endedAt: T0 + 41_000,
      totalTimeMs: 40_000,
      downtimeMs: 900,
      dataBytes: 8000,
      verdict: "stalled",
      guestHealth: "unhealthy",
    }),
    mig("c1", {
      vmName: "c",
      state: "cancelled",
      totalTimeMs: null,
      endedAt: T0 + 2_000,
      downtimeMs: null,
      dataBytes: null,
    }),
    // totalTimeMs missing: falls back to start → end (25 s).
    mig("x1", {
      vmName: "x",
      startedAt: T0 + 10_000,
      endedAt: T0 + 35_000,
      totalTimeMs: null,
      downtimeMs: 500,
      dataBytes: 1500,
      guestHealth: "unknown",
    }),
  ];
  const actions: ReportAction[] = [
    { migrationId: "b1", source: "policy", type: "set-max-downtime", actor: "policy default", count: 2 },
    { migrationId: "b1", source: "operator", type: "suspend-to-finish", actor: "alice", count: 1 },
    { migrationId: "c1", source: "operator", type: "abort", actor: "bob", count: 1 },
    { migrationId: "a2", source: "operator", type: "set-bandwidth", actor: "alice", count: 1 },
  ];
  const report = buildWindowReport(
    input({
      migrations,
      moves: [
        move("a", "completed"),
        move("b", "completed"),
        move("c", "failed"),
        move("d", "skipped"),
        move("x", "completed"),
      ],
      unplaced: [{ vmName: "e", reason: "no room" }],
      actions,
      windowActions: [
        { action: "window.run", actor: "alice", count: 1 },
        { action: "window.pause", actor: "bob", count: 2 },
      ],
      plannedDirtyBps: { b: 200e6, a: 50e6 },
      dirtyRates: { b1: { peakDirtyBps: 300e6, peakTransferBps: 250e6 } },
    }),
  );

  it("counts VMs from the moves and attempts from the migrations", () => {
    expect(report.headline.vms).toEqual({ planned: 5, moved: 3, failed: 1, notStarted: 1, notPlaced: 1 });
    expect(report.headline.attempts).toEqual({
      total: 5,
      completed: 3,
      failed: 1,
      aborted: 1,
      inFlight: 0,
      landedUnhealthy: 1,
      healthUnknown: 1,
    });
    expect(report.headline.drainMs).toBe(60_000);
  });

  it("migration time over completed migrations: 15 s, 25 s, 40 s", () => {
    expect(report.headline.migrationTime).toEqual({ totalMs: 80_000, p50Ms: 25_000, p95Ms: 40_000, maxMs: 40_000 });
    // Every attempt's bytes: 500 + 3000 + 8000 + 0 + 1500.
    expect(report.headline.dataBytes).toBe(13_000);
  });

  it("downtime against the 500 ms budget: 200, 500 (at the budget, not over), 900 (over)", () => {
    expect(report.headline.downtime).toEqual({
      budgetMs: 500,
      p50Ms: 500,
      p95Ms: 900,
      maxMs: 900,
      overBudget: 1,
      measured: 3,
    });
    expect(report.downtimeBars.bars.map((b) => [b.vmName, b.valueMs, b.over])).toEqual([
      ["b", 900, true],
      ["x", 500, false],
      ["a", 200, false],
    ]);
    expect(report.durationBars.bars.map((b) => b.valueMs)).toEqual([40_000, 25_000, 15_000]);
  });

  it("interventions: operators' buttons and window pauses by whom; escalations from the policy", () => {
    expect(report.interventions).toEqual([
      { kind: "window", button: "pause", actor: "bob", count: 2 },
      { kind: "migration", button: "abort", actor: "bob", count: 1 },
      { kind: "migration", button: "set-bandwidth", actor: "alice", count: 1 },
      { kind: "migration", button: "suspend-to-finish", actor: "alice", count: 1 },
    ]);
    expect(report.headline.interventions).toBe(5);
    expect(report.escalations).toEqual([{ step: "set-max-downtime", actor: "policy default", count: 2 }]);
    expect(report.headline.escalations).toBe(2);
  });

  it("did not converge on its own: a policy step, an operator's fix or a stalled verdict — not an abort", () => {
    expect(notConvergedIds(migrations, actions).sort()).toEqual(["a2", "b1"]);
    expect(report.notConverged.map((n) => n.vmName)).toEqual(["b", "a"]); // by dirty rate, highest first
    expect(report.notConverged[0]).toMatchObject({
      migrationId: "b1",
      plannedDirtyBps: 200e6,
      peakDirtyBps: 300e6,
      help: ["set-max-downtime by policy default ×2", "suspend-to-finish by alice", "last verdict stalled"],
    });
    expect(report.rows.find((r) => r.id === "c1")?.convergedAlone).toBe(true);
  });

  it("table rows in start order with per-row escalations and interventions", () => {
    expect(report.rows.map((r) => r.id)).toEqual(["a1", "c1", "b1", "a2", "x1"]);
    expect(report.rows.find((r) => r.id === "b1")).toMatchObject({
      escalations: 2,
      interventions: 1,
      durationMs: 40_000,
    });
  });
});

describe("downtimeHistogram", () => {
  it("ten bins of a fifth of the budget, (from, to], and one beyond twice the budget", () => {
    const bins = downtimeHistogram([0, 100, 101, 500, 501, 999, 1000, 1001, 5000], 500);
    expect(bins).toHaveLength(11);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 1, 1, 0, 0, 0, 2, 2]);
    expect(bins.map((b) => b.over)).toEqual([false, false, false, false, false, true, true, true, true, true, true]);
    expect(bins[10]).toMatchObject({ fromMs: 1000, toMs: null });
  });
});

describe("buildGantt", () => {
  it("one lane per VM for a small window, each attempt a segment", () => {
    const g = buildGantt(
      [move("a", "completed", 0, 10_000), move("b", "completed", 10_000, 30_000)],
      [
        mig("a1", { vmName: "a", state: "failed", endedAt: T0 + 3_000 }),
        mig("a2", { vmName: "a", startedAt: T0 + 4_000, endedAt: T0 + 12_000 }),
      ],
      T0,
    );
    expect(g.by).toBe("vm");
    expect(g.lanes.map((l) => l.label)).toEqual(["a", "b"]);
    expect(g.lanes[0]?.actual).toEqual([
      { fromMs: 0, toMs: 3_000, state: "failed" },
      { fromMs: 4_000, toMs: 12_000, state: "completed" },
    ]);
    expect(g.domainMs).toBe(30_000);
  });

  it("per source host beyond the limit, with overlapping intervals merged", () => {
    const moves = [
      move("a", "completed", 0, 10, "hv1"),
      move("b", "completed", 5, 20, "hv1"),
      move("c", "completed", 30, 40, "hv1"),
      move("d", "completed", 0, 50, "hv2"),
    ];
    const migs = [
      mig("a", { vmName: "a", source: "hv1", startedAt: T0, endedAt: T0 + 12 }),
      mig("b", { vmName: "b", source: "hv1", startedAt: T0 + 10, endedAt: T0 + 25 }),
      mig("c", { vmName: "c", source: "hv1", state: "failed", startedAt: T0 + 30, endedAt: T0 + 31 }),
    ];
    const g = buildGantt(moves, migs, T0, 2);
    expect(g.by).toBe("source-host");
    const hv1 = g.lanes.find((l) => l.label === "hv1");
    expect(hv1?.count).toBe(3);
    expect(hv1?.planned).toEqual([
      { fromMs: 0, toMs: 20 },
      { fromMs: 30, toMs: 40 },
    ]);
    expect(hv1?.actual).toEqual([
      { fromMs: 0, toMs: 25, state: "completed" },
      { fromMs: 30, toMs: 31, state: "failed" },
    ]);
  });
});

describe("pageOf", () => {
  it("clamps the page and slices", () => {
    const xs = Array.from({ length: 250 }, (_, i) => i);
    expect(pageOf(xs, 3, 100)).toMatchObject({ page: 3, pages: 3, rows: xs.slice(200) });
    expect(pageOf(xs, 99, 100).page).toBe(3);
    expect(pageOf(xs, Number.NaN, 100).page).toBe(1);
    expect(pageOf([], 1, 100)).toEqual({ rows: [], page: 1, pages: 1 });
  });
});

describe("CSV", () => {
  it("quotes separators, quotes and newlines; neutralises formulas", () => {
    expect(csvCell("vm-web")).toBe("vm-web");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(-5)).toBe("-5"); // numbers are numbers
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
  });

  it("one row per migration with the replay URL", () => {
    const report = buildWindowReport(
      input({
        migrations: [mig("m1", { vmName: "=cmd|' /C calc'!A0", downtimeMs: 700 })],
        moves: [move("x", "completed")],
      }),
    );
    const lines = migrationsCsv(report, "https://convoy.example").split("\r\n");
    expect(lines[0]).toBe(
      "migration_id,vm,source,destination,state,started_at,ended_at,duration_ms,downtime_ms,over_budget,data_bytes,escalations,interventions,converged_on_its_own,error,guest_location,replay_url",
    );
    expect(lines[1]).toBe(
      `m1,'=cmd|' /C calc'!A0,hv1,hv2,completed,2026-11-01T02:00:00.000Z,2026-11-01T02:00:10.000Z,10000,700,true,1000,0,0,true,,running on hv2,https://convoy.example/migrations/m1`,
    );
    expect(lines).toHaveLength(3);
  });

  it("says where the guest is after a failed attempt (CSV, page and PDF state cell)", () => {
    const failed = mig("m2", {
      state: "failed",
      error: "link down",
      downtimeMs: null,
      guestLocation: "unknown",
      guestLocationHost: "hv1",
    });
    const report = buildWindowReport(input({ migrations: [failed], moves: [move("vm-m2", "failed")] }));
    expect(migrationsCsv(report, "https://c").split("\r\n")[1]).toContain(",link down,unknown: hv1 cannot be asked,");
    const state = MIGRATION_COLUMNS.find((c) => c.label === "State");
    const row = report.rows[0];
    if (!row) throw new Error("no row");
    expect(state?.text(row)).toBe("failed · unknown: hv1 cannot be asked");
  });
});
