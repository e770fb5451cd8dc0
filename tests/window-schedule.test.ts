// Scheduled windows (issue 18, item 3) against a real Postgres: arming, the worker's scheduled start
// at its time (the clock injected, never slept), re-planning when stale or when the fleet changed,
// one start with two workers, launches stopped at the end with the rest "not started: window
// ended", and the window-overrun alert. Dirty rates are injected (as in tests/drain.test.ts); the
// migrations are ended by hand with the migration loop's own `transition`.
// Own database: the worker steps are global (any worker settles any window).
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_schedule");

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSession: async () => caller }));
vi.mock("@/lib/migration-ops/dirty-rate", () => ({
  measureDirtyRate: async () => ({ bytesPerSecond: 8 * 2 ** 20, seconds: 1 }),
}));

const { db } = await import("@/lib/db/client");
const { transition } = await import("@/lib/db/migrations");
const { endLaunches, NOT_STARTED_ENDED } = await import("@/lib/db/window-schedule");
const { settleEndedMoves, startMoves, completeWindows } = await import("@/lib/evacuation/drain");
const { runScheduledStarts } = await import("@/lib/evacuation/scheduled-start");
const { evaluateAlerts } = await import("@/lib/alerts/outbox");
const actions = await import("@/lib/actions/windows");
const { createInventoriedHost } = await import("./support/seed-hosts");

const GiB = 2 ** 30;
const measure = async () => 8 * 2 ** 20;
const HOUR = 3_600_000;

async function seed(vmsOnSource: number) {
  const ids: string[] = [];
  for (const name of ["src", "d1", "d2"]) ids.push(await createInventoriedHost(name));
  for (let i = 0; i < vmsOnSource; i++)
    await db.vm.create({
      data: {
        hostId: ids[0] ?? "",
        uuid: randomUUID(),
        name: `vm-${i}`,
        state: "running",
        vcpus: 2,
        memoryBytes: BigInt(2 * GiB),
      },
    });
  return ids;
}

async function operator(role: "viewer" | "operator" = "operator") {
  const u = await db.user.create({
    data: { username: `${role}-${randomUUID().slice(0, 6)}`, role, passwordHash: "x" },
  });
  caller = { id: u.id, username: u.username, role, sessionId: "s" };
  return caller;
}

/** A planned, armed window starting at `startsAt` and lasting an hour. */
async function armedWindow(srcId: string, startsAt: Date, over: Record<string, unknown> = {}) {
  const c = await actions.createWindowAction({
    name: "nightly",
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    hostIds: [srcId],
    maxOutbound: 1,
    ...over,
  });
  if (!c.ok) throw new Error(c.message);
  const p = await actions.planWindowAction({ windowId: c.data.windowId });
  if (!p.ok) throw new Error(p.message);
  const a = await actions.armWindowAction({ windowId: c.data.windowId });
  if (!a.ok) throw new Error(a.message);
  return c.data.windowId;
}

const win = (id: string) => db.maintenanceWindow.findUniqueOrThrow({ where: { id } });
const plannedAt = async (id: string) => ((await win(id)).plan as { plannedAt: string }).plannedAt;

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "AlertDelivery", "EvacuationMove", "WindowHost", "MaintenanceWindow", "Reservation", "MigrationEvent", "MigrationSample", "LiveMigration", "Vm", "Host", "AuditLog", "EscalationPolicy", "User" CASCADE`,
  );
});

describe("scheduled start", () => {
  it("starts an armed window at its start time, on the approver's behalf, with the approved plan", async () => {
    const [src] = await seed(2);
    const approver = await operator();
    const startsAt = new Date(Date.now() + 10 * 60_000);
    const id = await armedWindow(src ?? "", startsAt);
    const before = await plannedAt(id);
    const deps = { replanAfterMs: HOUR, measure };

    expect(await runScheduledStarts("w1", { ...deps, now: () => new Date(startsAt.getTime() - 1000) })).toEqual([]);
    expect((await win(id)).state).toBe("planned");
    expect(await runScheduledStarts("w1", { ...deps, now: () => startsAt })).toEqual([id]);

    const w = await win(id);
    expect(w).toMatchObject({ state: "running", startedBySchedule: true, startedAt: startsAt, armedById: approver.id });
    expect(await plannedAt(id)).toBe(before); // fresh plan, same fleet: not re-planned
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "window.scheduled-start", targetId: id } });
    expect(audit).toMatchObject({ actorName: "system", actorId: null, result: "ok" });
    expect(audit.after).toMatchObject({ onBehalfOf: { id: approver.id, username: approver.username }, replanned: [] });
    expect(await startMoves(id)).toBe(1); // maxOutbound 1: the drain runs it as usual
  });

  it("re-plans first when the plan is older than the limit, or when the fleet changed since planning", async () => {
    const [src] = await seed(1);
    await operator();
    const startsAt = new Date(Date.now() + 60_000);
    const stale = await armedWindow(src ?? "", startsAt);
    const before = await plannedAt(stale);
    await runScheduledStarts("w1", { now: () => startsAt, replanAfterMs: 1, measure });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "window.scheduled-start", targetId: stale } });
    expect((audit.after as { replanned: string[] }).replanned[0]).toMatch(/^the plan is \d+ min old/);
    expect(await plannedAt(stale)).not.toBe(before);
    await db.maintenanceWindow.update({ where: { id: stale }, data: { state: "completed" } });

    // A VM appeared on the drained host after planning: the new plan moves it too.
    const changed = await armedWindow(src ?? "", startsAt);
    expect(await db.evacuationMove.count({ where: { windowId: changed } })).toBe(1);
    await db.vm.create({
      data: {
        hostId: src ?? "",
        uuid: randomUUID(),
        name: "late-vm",
        state: "running",
        vcpus: 1,
        memoryBytes: BigInt(GiB),
      },
    });
    expect(await runScheduledStarts("w1", { now: () => startsAt, replanAfterMs: HOUR, measure })).toEqual([changed]);
    const after = await db.auditLog.findFirstOrThrow({
      where: { action: "window.scheduled-start", targetId: changed },
    });
    expect((after.after as { replanned: string[] }).replanned).toEqual([
      "the fleet changed since planning (hosts or VMs differ)",
    ]);
    expect((await db.evacuationMove.findMany({ where: { windowId: changed } })).map((m) => m.vmName).sort()).toEqual([
      "late-vm",
      "vm-0",
    ]);
  });

  it("two workers at the same moment: one start, one audit row", async () => {
    const [src] = await seed(1);
    await operator();
    const startsAt = new Date(Date.now() + 60_000);
    const id = await armedWindow(src ?? "", startsAt);
    const deps = { now: () => startsAt, replanAfterMs: HOUR, measure };
    const [a, b] = await Promise.all([runScheduledStarts("w1", deps), runScheduledStarts("w2", deps)]);
    expect([...a, ...b]).toEqual([id]);
    expect(await db.auditLog.count({ where: { action: "window.scheduled-start", targetId: id } })).toBe(1);
  });

  it("refuses an approver who lost the right, and expires a window whose end passed unstarted", async () => {
    const [src] = await seed(1);
    const approver = await operator();
    const startsAt = new Date(Date.now() + 60_000);
    const id = await armedWindow(src ?? "", startsAt);
    await db.user.update({ where: { id: approver.id }, data: { role: "viewer" } });
    expect(await runScheduledStarts("w1", { now: () => startsAt, replanAfterMs: HOUR, measure })).toEqual([]);
    expect(await win(id)).toMatchObject({
      state: "planned",
      armedAt: null,
      scheduleError: `not started: the approver ${approver.username} is now a viewer`,
    });

    await operator();
    const late = await armedWindow(src ?? "", startsAt);
    expect(
      await runScheduledStarts("w1", { now: () => new Date(startsAt.getTime() + HOUR), replanAfterMs: HOUR, measure }),
    ).toEqual([]);
    expect(await win(late)).toMatchObject({
      state: "planned",
      armedAt: null,
      scheduleError: "not started: the window ended before it could start",
    });
  });

  it("arming needs an operator and a plan; re-planning by hand disarms (the approval was for the old plan)", async () => {
    const [src] = await seed(1);
    await operator();
    const id = await armedWindow(src ?? "", new Date(Date.now() + 60_000));
    expect((await win(id)).armedAt).not.toBeNull();
    expect((await actions.planWindowAction({ windowId: id })).ok).toBe(true);
    expect((await win(id)).armedAt).toBeNull();
    await operator("viewer");
    expect(await actions.armWindowAction({ windowId: id })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    await operator();
    expect((await actions.armWindowAction({ windowId: id })).ok).toBe(true);
    expect((await actions.disarmWindowAction({ windowId: id })).ok).toBe(true);
    expect(await actions.disarmWindowAction({ windowId: id })).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});

describe("the end of a scheduled window", () => {
  it("stops launching at the end: in-flight moves finish (not retried), the rest are 'not started: window ended', an overrun alerts", async () => {
    const [src] = await seed(3);
    await operator();
    const startsAt = new Date(Date.now() - 30 * 60_000);
    const hook = { url: "https://hooks.example.com/convoy", format: "generic", events: ["window-overrun"] };
    const id = await armedWindow(src ?? "", startsAt, { alertWebhooks: [hook] });
    await runScheduledStarts("w1", { now: () => new Date(), replanAfterMs: HOUR, measure });
    expect(await startMoves(id)).toBe(1);
    const endsAt = (await win(id)).endsAt;

    expect(await endLaunches(new Date(endsAt.getTime() - 1))).toEqual([]);
    expect(await endLaunches(endsAt)).toEqual([id]);
    expect(await endLaunches(endsAt)).toEqual([]); // once
    const moves = await db.evacuationMove.findMany({ where: { windowId: id }, orderBy: { order: "asc" } });
    expect(moves.map((m) => m.state).sort()).toEqual(["cancelled", "cancelled", "started"]);
    expect(moves.filter((m) => m.state === "cancelled").every((m) => m.lastError === NOT_STARTED_ENDED)).toBe(true);
    expect(await startMoves(id)).toBe(0);

    expect(await evaluateAlerts({ now: new Date(endsAt.getTime() + 1000), targets: [] })).toBe(1);
    expect(await evaluateAlerts({ now: new Date(endsAt.getTime() + 2000), targets: [] })).toBe(0); // once
    const alert = await db.alertDelivery.findFirstOrThrow({ where: { windowId: id } });
    expect(alert.kind).toBe("window_overrun");
    expect((alert.payload as { event: string; summary: string }).event).toBe("window-overrun");
    expect((alert.payload as { summary: string }).summary).toMatch(/overran its end .*1 migration still in flight/);

    // The in-flight attempt fails after the end: not retried elsewhere, and the window completes.
    const started = moves.find((m) => m.state === "started");
    await transition(started?.migrationId ?? "", ["queued", "launching", "running", "postcopy"], "failed", {
      endedAt: new Date(),
      error: "Connection reset by peer",
    });
    expect(await settleEndedMoves()).toBe(1);
    expect(await db.evacuationMove.findUniqueOrThrow({ where: { id: started?.id } })).toMatchObject({
      state: "failed",
      lastError: expect.stringMatching(/window ended: not retried/),
    });
    expect(await completeWindows(new Date(Date.now() + 200_000))).toEqual([id]);
    expect(
      await db.auditLog.count({ where: { action: "window.scheduled-end", targetId: id, actorName: "system" } }),
    ).toBe(1);
  });
});
