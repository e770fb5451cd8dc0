// The report's loader (lib/db/window-report.ts) against a real Postgres: a hand-built completed
// window (a retried move, a stalled VM the policy and an operator helped, an abort, an unplaced VM)
// and two earlier windows for the trend. Expected figures are computed by hand from the rows.
//
// Its own database (like drain.test): the trend reads every finished window, so windows other test
// files create in the shared database would change it.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_report");

const { db } = await import("@/lib/db/client");
const { getWindowReport } = await import("@/lib/db/window-report");

const T0 = new Date("2026-11-01T02:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const GiB = 2 ** 30;

let windowId = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  const host = (name: string) =>
    db.host.create({
      data: { name, address: "127.0.0.1", sshUser: "root", privateKeyEnc: "x", status: "active" },
      select: { id: true },
    });
  const [hv1, hv2, hv3] = await Promise.all([host("hv1"), host("hv2"), host("hv3")]);
  const alice = await db.user.create({ data: { username: "alice", role: "operator", passwordHash: "x" } });
  const policy = await db.escalationPolicy.create({ data: { name: "default", steps: [] } });

  // Two earlier windows: one finished a day before, one cancelled two days before, one still a draft (not in the trend).
  const earlier = async (
    name: string,
    days: number,
    state: "completed" | "cancelled" | "draft",
    downtimes: number[],
  ) => {
    const w = await db.maintenanceWindow.create({
      data: {
        name,
        startsAt: at(-days * 86400),
        endsAt: at(-days * 86400 + 3600),
        state,
        startedAt: state === "draft" ? null : at(-days * 86400),
        endedAt: state === "draft" ? null : at(-days * 86400 + 600),
      },
    });
    for (const d of downtimes) {
      await db.liveMigration.create({
        data: {
          vmUuid: randomUUID(),
          vmName: "old",
          sourceHostId: hv1.id,
          destHostId: hv2.id,
          state: "completed",
          options: {},
          memoryBytes: 1n,
          vcpus: 1,
          windowId: w.id,
          downtimeMs: d,
        },
      });
    }
  };
  await earlier("cancelled before", 2, "cancelled", [50]);
  await earlier("last week", 1, "completed", [100, 300]);
  await earlier("not run", 0, "draft", []);

  const w = await db.maintenanceWindow.create({
    data: {
      name: "night drain",
      startsAt: T0,
      endsAt: at(3600),
      state: "completed",
      downtimeBudgetMs: 500,
      policyId: policy.id,
      startedAt: T0,
      endedAt: at(120),
      plan: {
        makespanMs: 90_000,
        moves: [],
        unplaced: [{ vmId: "x", vmName: "vm-big", reason: "no host has 512 GiB free" }],
        rates: [
          { vmId: "1", vmName: "vm-db", dirtyRateBps: 180e6, measured: true },
          { vmId: "2", vmName: "vm-web", dirtyRateBps: 5e6, measured: true },
        ],
      },
    },
  });
  windowId = w.id;
  await db.auditLog.createMany({
    data: [
      {
        actorId: alice.id,
        actorName: "alice",
        actorRole: "operator",
        action: "window.run",
        targetType: "window",
        targetId: w.id,
        result: "ok",
        at: T0,
      },
      {
        actorId: alice.id,
        actorName: "alice",
        actorRole: "operator",
        action: "window.pause",
        targetType: "window",
        targetId: w.id,
        result: "ok",
        at: at(30),
      },
      {
        actorId: alice.id,
        actorName: "alice",
        actorRole: "operator",
        action: "window.resume",
        targetType: "window",
        targetId: w.id,
        result: "ok",
        at: at(40),
      },
      {
        actorId: null,
        actorName: "mallory",
        actorRole: "viewer",
        action: "window.cancel",
        targetType: "window",
        targetId: w.id,
        result: "denied",
        at: at(50),
      },
    ],
  });
  const mig = async (
    key: string,
    vmName: string,
    state: "completed" | "failed" | "cancelled",
    s: number,
    e: number,
    o: { dest?: string; total?: number | null; down?: number | null; bytes?: number; verdict?: string } = {},
  ) => {
    const row = await db.liveMigration.create({
      data: {
        vmUuid: `uuid-${vmName}`,
        vmName,
        sourceHostId: hv1.id,
        destHostId: o.dest ?? hv2.id,
        state,
        options: {},
        memoryBytes: BigInt(4 * GiB),
        vcpus: 2,
        windowId: w.id,
        createdAt: at(s),
        startedAt: at(s),
        endedAt: at(e),
        totalTimeMs: o.total === undefined ? (e - s) * 1000 : o.total,
        downtimeMs: o.down ?? null,
        dataProcessedBytes: o.bytes === undefined ? null : BigInt(o.bytes),
        verdict: o.verdict ? { verdict: o.verdict } : undefined,
        policyName: "default",
      },
    });
    ids[key] = row.id;
    return row.id;
  };
  // vm-web: first attempt failed on hv3 after 5 s, retried on hv2 (20 s, 120 ms down).
  await mig("web1", "vm-web", "failed", 0, 5, { dest: hv3.id, total: null, bytes: GiB });
  await mig("web2", "vm-web", "completed", 10, 30, { bytes: 4 * GiB, down: 120 });
  // vm-db: stalled, policy raised max downtime twice, alice suspended it; 80 s, 900 ms down (over budget).
  const db1 = await mig("db1", "vm-db", "completed", 0, 80, { bytes: 12 * GiB, down: 900, verdict: "stalled" });
  // vm-app: 40 s, 500 ms down (exactly the budget: not over).
  await mig("app1", "vm-app", "completed", 5, 45, { bytes: 3 * GiB, down: 500, verdict: "converging" });
  // vm-tmp: alice aborted it before it finished.
  const tmp1 = await mig("tmp1", "vm-tmp", "cancelled", 50, 55, { total: null, bytes: 0 });

  const ev = (migrationId: string, source: string, type: string, message: string, actorId: string | null, s: number) =>
    db.migrationEvent.create({
      data: { migrationId, source, type, message, actorId, at: at(s), idempotencyKey: randomUUID() },
    });
  await ev(db1, "policy", "set-max-downtime-requested", "policy default: set max downtime to 500 ms", null, 20);
  await ev(db1, "policy", "set-max-downtime", "Max downtime set to 500 ms.", null, 20);
  await ev(db1, "policy", "set-max-downtime-requested", "policy default: set max downtime to 1000 ms", null, 40);
  await ev(db1, "operator", "suspend-to-finish-requested", "alice: suspend the guest to finish", alice.id, 60);
  await ev(tmp1, "operator", "abort-requested", "alice: abort", alice.id, 54);
  await ev(tmp1, "system", "cancelled", "Aborted.", null, 55);

  const sample = (migrationId: string, s: number, dirty: number, transfer: number) =>
    db.migrationSample.create({
      data: {
        migrationId,
        at: at(s),
        elapsedMs: s * 1000,
        processedBytes: 0n,
        remainingBytes: 0n,
        totalBytes: 0n,
        dirtyRateBps: dirty,
        transferRateBps: transfer,
        iteration: 1,
        throttlePct: 0,
        expectedDowntimeMs: 0,
      },
    });
  await sample(db1, 10, 150e6, 110e6);
  await sample(db1, 20, 210e6, 118e6);
  await sample(db1, 30, 90e6, 117e6);
  await sample(ids.web2 ?? "", 15, 999e6, 1e6); // a converging VM's samples are never read

  const move = (
    vmName: string,
    order: number,
    state: "completed" | "failed" | "skipped",
    a: number,
    b: number,
    migrationId?: string,
  ) =>
    db.evacuationMove.create({
      data: {
        windowId: w.id,
        vmUuid: `uuid-${vmName}`,
        vmName,
        sourceHostId: hv1.id,
        destHostId: hv2.id,
        order,
        plannedStartMs: a,
        plannedEndMs: b,
        state,
        migrationId,
      },
    });
  await move("vm-db", 0, "completed", 0, 60_000, db1);
  await move("vm-web", 1, "completed", 0, 15_000, ids.web2);
  await move("vm-app", 2, "completed", 15_000, 45_000, ids.app1);
  await move("vm-tmp", 3, "failed", 45_000, 50_000, tmp1);
  await move("vm-off", 4, "skipped", 50_000, 55_000);
});

describe("getWindowReport (real Postgres)", () => {
  it("headline figures", async () => {
    const r = await getWindowReport(windowId);
    expect(r?.window).toMatchObject({
      name: "night drain",
      state: "completed",
      downtimeBudgetMs: 500,
      policyName: "default",
    });
    expect(r?.headline.vms).toEqual({ planned: 5, moved: 3, failed: 1, notStarted: 1, notPlaced: 1 });
    expect(r?.headline.attempts).toEqual({
      total: 5,
      completed: 3,
      landedUnhealthy: 0,
      healthUnknown: 0,
      failed: 1,
      aborted: 1,
      inFlight: 0,
    });
    expect(r?.headline.drainMs).toBe(120_000);
    // Completed: 20 s, 40 s, 80 s.
    expect(r?.headline.migrationTime).toEqual({ totalMs: 140_000, p50Ms: 40_000, p95Ms: 80_000, maxMs: 80_000 });
    expect(r?.headline.dataBytes).toBe(20 * GiB);
    expect(r?.headline.downtime).toEqual({
      budgetMs: 500,
      p50Ms: 500,
      p95Ms: 900,
      maxMs: 900,
      overBudget: 1,
      measured: 3,
    });
    // alice: suspend, abort, pause, resume (run is the normal course; mallory's cancel was denied).
    expect(r?.headline.interventions).toBe(4);
    expect(r?.interventions.map((i) => `${i.kind}:${i.button}:${i.actor}`).sort()).toEqual([
      "migration:abort:alice",
      "migration:suspend-to-finish:alice",
      "window:pause:alice",
      "window:resume:alice",
    ]);
    expect(r?.escalations).toEqual([{ step: "set-max-downtime", actor: "policy default", count: 2 }]);
  });

  it("the VM that did not converge on its own, with its planned and peak dirty rates", async () => {
    const r = await getWindowReport(windowId);
    expect(r?.notConverged).toEqual([
      {
        migrationId: ids.db1,
        vmName: "vm-db",
        route: "hv1 → hv2",
        state: "completed",
        verdict: "stalled",
        help: ["set-max-downtime by policy default ×2", "suspend-to-finish by alice", "last verdict stalled"],
        plannedDirtyBps: 180e6,
        peakDirtyBps: 210e6,
        peakTransferBps: 118e6,
        durationMs: 80_000,
      },
    ]);
  });

  it("every migration in start order, the charts and the trend", async () => {
    const r = await getWindowReport(windowId);
    expect(r?.rows.map((x) => `${x.vmName}:${x.state}`)).toEqual([
      "vm-db:completed",
      "vm-web:failed",
      "vm-app:completed",
      "vm-web:completed",
      "vm-tmp:cancelled",
    ]);
    expect(r?.rows.find((x) => x.id === ids.web1)).toMatchObject({
      source: "hv1",
      dest: "hv3",
      durationMs: 5_000,
      dataBytes: GiB,
      error: null,
    });
    expect(r?.downtimeBars.bars.map((b) => [b.vmName, b.over])).toEqual([
      ["vm-db", true],
      ["vm-app", false],
      ["vm-web", false],
    ]);
    expect(r?.gantt.by).toBe("vm");
    expect(r?.gantt.lanes.find((l) => l.label === "vm-web")?.actual).toEqual([
      { fromMs: 0, toMs: 5_000, state: "failed" },
      { fromMs: 10_000, toMs: 30_000, state: "completed" },
    ]);
    expect(r?.unplaced).toEqual([{ vmName: "vm-big", reason: "no host has 512 GiB free" }]);
    expect(
      r?.trend.map((t) => [t.name, t.migrations, t.failed, t.totalDowntimeMs, t.p95DowntimeMs, t.current]),
    ).toEqual([
      ["cancelled before", 1, 0, 50, 50, false],
      ["last week", 2, 0, 400, 300, false],
      ["night drain", 5, 1, 1520, 900, true],
    ]);
    expect(r?.trend.at(-1)?.drainMs).toBe(120_000);
  });

  it("a window that does not exist", async () => {
    expect(await getWindowReport(randomUUID())).toBeNull();
  });
});
