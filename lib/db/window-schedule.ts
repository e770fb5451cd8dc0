import "server-only";
import { type AuditActor, writeAudit } from "@/lib/db/audit";
import { db, type Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { fleetSignature } from "@/lib/evacuation/schedule";

// Scheduled windows in Postgres: arming (the approval), the worker's claim on a due start (a lease,
// so two workers never start one window twice), the start itself and the end of launches. Every
// automatic step is audited as "system" acting on the approver's behalf (after.onBehalfOf).

const SYSTEM: AuditActor = { id: null, name: "system", role: null };
const TX = { timeout: 10_000 };
/** Why moves left at the end were not run, as the window page and report show it. */
export const NOT_STARTED_ENDED = "not started: window ended";

export type Approver = { id: string; username: string };

/** Arms a planned window: its plan is approved and it will start itself at its start time. */
export async function armWindow(tx: Tx, windowId: string, approver: Approver, now: Date) {
  const w = await tx.maintenanceWindow.findUnique({
    where: { id: windowId },
    select: { state: true, plan: true, armedAt: true, startsAt: true, endsAt: true },
  });
  if (!w) throw new AppError("NOT_FOUND", "No such maintenance window.");
  if (w.armedAt) throw new AppError("CONFLICT", "This window is already armed.");
  if (w.state !== "planned" || !w.plan)
    throw new AppError("CONFLICT", `Only a planned window can be armed; this one is ${w.state}.`);
  if (w.endsAt <= now)
    throw new AppError("CONFLICT", "This window has already ended: create a new one with later times.");
  // The state check is in the UPDATE too: a window run or re-planned meanwhile is refused.
  const n = await tx.maintenanceWindow.updateMany({
    where: { id: windowId, state: "planned", armedAt: null },
    data: {
      armedAt: now,
      armedById: approver.id,
      armedByName: approver.username,
      scheduleError: null,
      scheduleOwner: null,
      scheduleLeaseUntil: null,
    },
  });
  if (n.count !== 1) throw new AppError("CONFLICT", "The window changed meanwhile: reload the page.");
  return { startsAt: w.startsAt, endsAt: w.endsAt };
}

/** Disarms a window that has not started yet (it then waits for Run again). */
export async function disarmWindow(tx: Tx, windowId: string) {
  const n = await tx.maintenanceWindow.updateMany({
    where: { id: windowId, state: "planned", armedAt: { not: null } },
    data: {
      armedAt: null,
      armedById: null,
      armedByName: null,
      scheduleError: null,
      scheduleOwner: null,
      scheduleLeaseUntil: null,
    },
  });
  if (n.count === 1) return;
  const w = await tx.maintenanceWindow.findUnique({ where: { id: windowId }, select: { state: true } });
  if (!w) throw new AppError("NOT_FOUND", "No such maintenance window.");
  throw new AppError(
    "CONFLICT",
    w.state === "planned" ? "This window is not armed." : `This window is ${w.state}: pause or cancel it instead.`,
  );
}

/** Hosts of this window already being drained by another running or paused window. */
export async function hostsBusyElsewhere(t: Tx, windowId: string): Promise<string[]> {
  const hostIds = (await t.windowHost.findMany({ where: { windowId }, select: { hostId: true } })).map((h) => h.hostId);
  const busy = await t.windowHost.findMany({
    where: { hostId: { in: hostIds }, window: { id: { not: windowId }, state: { in: ["running", "paused"] } } },
    include: { host: { select: { name: true } }, window: { select: { name: true } } },
  });
  return busy.map((b) => `${b.host.name} by "${b.window.name}"`);
}

/**
 * Claims armed windows whose start time has come (or whose end passed unstarted, to expire them):
 * one UPDATE … FOR UPDATE SKIP LOCKED sets this worker's lease, so another worker skips them until
 * the lease lapses (a worker that dies mid-start lets another take over).
 */
export async function claimDueStarts(workerId: string, now: Date, leaseMs: number, limit = 4): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "MaintenanceWindow" SET "scheduleOwner" = ${workerId}, "scheduleLeaseUntil" = ${new Date(now.getTime() + leaseMs)}
    WHERE id IN (
      SELECT id FROM "MaintenanceWindow"
      WHERE state = 'planned' AND "armedAt" IS NOT NULL AND "startsAt" <= ${now}
        AND ("scheduleLeaseUntil" IS NULL OR "scheduleLeaseUntil" < ${now})
      ORDER BY "startsAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** The window as the scheduler decides on it. */
export function scheduledWindow(windowId: string) {
  return db.maintenanceWindow.findUnique({
    where: { id: windowId },
    select: {
      id: true,
      name: true,
      state: true,
      armedAt: true,
      armedById: true,
      armedByName: true,
      startsAt: true,
      endsAt: true,
      launchEndedAt: true,
      plan: true,
      scheduleOwner: true,
    },
  });
}

/** The signature of the fleet as a plan would read it now (the same facts preparePlan reads). */
export async function currentFleetSignature(): Promise<string> {
  const [hosts, vms] = await Promise.all([
    db.host.findMany({
      where: { status: { not: "removed" } },
      select: { id: true, status: true, reachable: true, cpuModel: true, cores: true, libvirtVersion: true },
    }),
    db.vm.findMany({ select: { uuid: true, hostId: true, state: true, vcpus: true, memoryBytes: true } }),
  ]);
  return fleetSignature(hosts, vms);
}

/** The approver must still be an enabled operator or admin for the system to act on their behalf. */
export async function approverMayStart(t: Tx | typeof db, approverId: string | null): Promise<string | null> {
  const u = approverId
    ? await t.user.findUnique({ where: { id: approverId }, select: { role: true, disabled: true, username: true } })
    : null;
  if (!u) return "the approver's account no longer exists";
  if (u.disabled) return `the approver ${u.username} is disabled`;
  if (u.role === "viewer") return `the approver ${u.username} is now a viewer`;
  return null;
}

/**
 * Starts a claimed window (planned → running, startedBySchedule) in the caller's transaction, with
 * the audit row. Refused (AppError) when this worker no longer holds the claim, the window changed,
 * or its hosts are being drained by another window.
 */
export async function startClaimed(
  t: Tx,
  windowId: string,
  workerId: string,
  now: Date,
  detail: { replanned: string[] },
) {
  const locked = await t.$queryRaw<{ id: string }[]>`
    SELECT id FROM "MaintenanceWindow" WHERE id = ${windowId} AND state = 'planned' AND "armedAt" IS NOT NULL AND "scheduleOwner" = ${workerId} FOR UPDATE`;
  if (!locked.length) throw new AppError("CONFLICT", "the window changed meanwhile (run, disarmed or cancelled)");
  const w = await t.maintenanceWindow.findUniqueOrThrow({
    where: { id: windowId },
    select: { armedById: true, armedByName: true },
  });
  const refused = await approverMayStart(t, w.armedById);
  if (refused) throw new AppError("FORBIDDEN", refused);
  const busy = await hostsBusyElsewhere(t, windowId);
  if (busy.length) throw new AppError("CONFLICT", `already being drained: ${busy.join(", ")}`);
  await t.maintenanceWindow.update({
    where: { id: windowId },
    data: {
      state: "running",
      startedAt: now,
      startedBySchedule: true,
      scheduleError: null,
      scheduleOwner: null,
      scheduleLeaseUntil: null,
    },
  });
  await writeAudit(t, {
    actor: SYSTEM,
    action: "window.scheduled-start",
    result: "ok",
    targetType: "window",
    targetId: windowId,
    before: { state: "planned" },
    after: { state: "running", onBehalfOf: { id: w.armedById, username: w.armedByName }, replanned: detail.replanned },
  });
}

/**
 * A scheduled start that did not happen: the reason is shown on the window page and audited; the
 * claim is kept until `retryAt`, so a failing start is retried, not hammered every second.
 * `disarm` (the window ended unstarted, or its approver lost the right) ends the schedule.
 */
export async function recordScheduleFailure(
  windowId: string,
  workerId: string,
  error: string,
  o: { retryAt: Date; disarm: boolean },
) {
  await db.$transaction(async (t) => {
    const w = await t.maintenanceWindow.findUnique({
      where: { id: windowId },
      select: { armedById: true, armedByName: true, scheduleOwner: true, state: true },
    });
    if (!w || w.scheduleOwner !== workerId || w.state !== "planned") return;
    await t.maintenanceWindow.update({
      where: { id: windowId },
      data: {
        scheduleError: error.slice(0, 2000),
        scheduleLeaseUntil: o.retryAt,
        ...(o.disarm ? { armedAt: null, scheduleOwner: null, scheduleLeaseUntil: null } : {}),
      },
    });
    await writeAudit(t, {
      actor: SYSTEM,
      action: o.disarm ? "window.scheduled-disarm" : "window.scheduled-start",
      result: "error",
      error,
      targetType: "window",
      targetId: windowId,
      after: {
        onBehalfOf: { id: w.armedById, username: w.armedByName },
        ...(o.disarm ? { armed: false } : { retryAt: o.retryAt.toISOString() }),
      },
    });
  }, TX);
}

/**
 * Armed windows past their end: no new launches. Pending moves become cancelled "not started:
 * window ended" (moves in flight finish; the drain no longer retries them), once per window,
 * under the window's row lock so a concurrent startMoves either ran before or sees it ended.
 */
export async function endLaunches(now: Date): Promise<string[]> {
  const due = await db.maintenanceWindow.findMany({
    where: { state: { in: ["running", "paused"] }, armedAt: { not: null }, launchEndedAt: null, endsAt: { lte: now } },
    select: { id: true },
  });
  const ended: string[] = [];
  for (const { id } of due) {
    const done = await db.$transaction(async (t) => {
      const locked = await t.$queryRaw<{ id: string }[]>`
        SELECT id FROM "MaintenanceWindow" WHERE id = ${id} AND state IN ('running', 'paused') AND "launchEndedAt" IS NULL FOR UPDATE`;
      if (!locked.length) return false;
      const w = await t.maintenanceWindow.update({
        where: { id },
        data: { launchEndedAt: now },
        select: { armedById: true, armedByName: true, endsAt: true },
      });
      const notStarted = await t.evacuationMove.updateMany({
        where: { windowId: id, state: "pending" },
        data: { state: "cancelled", lastError: NOT_STARTED_ENDED, endedAt: now },
      });
      const inFlight = await t.evacuationMove.count({ where: { windowId: id, state: "started" } });
      await writeAudit(t, {
        actor: SYSTEM,
        action: "window.scheduled-end",
        result: "ok",
        targetType: "window",
        targetId: id,
        after: {
          onBehalfOf: { id: w.armedById, username: w.armedByName },
          endsAt: w.endsAt.toISOString(),
          notStarted: notStarted.count,
          inFlight,
        },
      });
      return true;
    }, TX);
    if (done) ended.push(id);
  }
  return ended;
}
