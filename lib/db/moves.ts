import "server-only";
import { z } from "zod";
import { lockDueRows } from "@/lib/db/claims";
import { db, type Tx } from "@/lib/db/client";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import type { StoredPlan } from "@/lib/evacuation/types";
import { type MoveState, Prisma } from "@/lib/generated/prisma/client";

// The drain's rows (EvacuationMove jobs and their windows), claimed with FOR UPDATE SKIP LOCKED
// inside the worker's short transactions (lib/evacuation/drain.ts decides what they mean).

export type EndedMoveRow = {
  id: string;
  windowId: string;
  vmUuid: string;
  vmName: string;
  sourceHostId: string;
  destHostId: string;
  attempts: number;
  failedDestIds: string[];
  autoConverge: boolean;
  migrationState: string;
  error: string | null;
  endedAt: Date | null;
  windowState: string;
};

/** Started moves whose migration reached an end, locked for this transaction (others skip them). */
export function claimEndedMoves(tx: Tx, limit: number): Promise<EndedMoveRow[]> {
  return lockDueRows<EndedMoveRow>(
    tx,
    Prisma.sql`
    SELECT m.id, m."windowId", m."vmUuid", m."vmName", m."sourceHostId", m."destHostId", m.attempts, m."failedDestIds",
           m."autoConverge", l.state::text AS "migrationState", l.error, l."endedAt", w.state::text AS "windowState"
    FROM "EvacuationMove" m
    JOIN "LiveMigration" l ON l.id = m."migrationId"
    JOIN "MaintenanceWindow" w ON w.id = m."windowId"
    WHERE m.state = 'started' AND l.state IN ('completed', 'failed', 'cancelled', 'lost')
    ORDER BY m."windowId", m."order"
    LIMIT ${limit}`,
    "OF m",
  );
}

export type PendingMoveRow = {
  id: string;
  vmUuid: string;
  vmName: string;
  sourceHostId: string;
  destHostId: string;
  order: number;
  attempts: number;
  failedDestIds: string[];
  autoConverge: boolean;
};

/** A window's pending moves in plan order, locked for this transaction. */
export function claimPendingMoves(tx: Tx, windowId: string): Promise<PendingMoveRow[]> {
  return lockDueRows<PendingMoveRow>(
    tx,
    Prisma.sql`
    SELECT id, "vmUuid", "vmName", "sourceHostId", "destHostId", "order", attempts, "failedDestIds", "autoConverge"
    FROM "EvacuationMove" WHERE "windowId" = ${windowId} AND state = 'pending'
    ORDER BY "order"`,
  );
}

/** Locks a running window's row (one worker fills its slots at a time); false when another holds it or it stopped. */
export async function lockRunningWindow(tx: Tx, windowId: string): Promise<boolean> {
  const locked = await lockDueRows<{ id: string }>(
    tx,
    Prisma.sql`SELECT id FROM "MaintenanceWindow" WHERE id = ${windowId} AND state = 'running'`,
  );
  return locked.length > 0;
}

/** As lockRunningWindow, and only while it may still launch (a scheduled window past its end does not). */
export async function lockLaunchingWindow(tx: Tx, windowId: string): Promise<boolean> {
  const locked = await lockDueRows<{ id: string }>(
    tx,
    Prisma.sql`SELECT id FROM "MaintenanceWindow" WHERE id = ${windowId} AND state = 'running' AND "launchEndedAt" IS NULL`,
  );
  return locked.length > 0;
}

export function updateMove(tx: Tx, id: string, data: Prisma.EvacuationMoveUncheckedUpdateInput) {
  return tx.evacuationMove.update({ where: { id }, data });
}

export const MOVE_PROGRESS = { order: true, vmName: true, state: true, failedDestIds: true } as const;
export type MoveProgress = { order: number; vmName: string; state: MoveState; failedDestIds: string[] };

export function moveProgress(client: Tx | typeof db, windowId: string): Promise<MoveProgress[]> {
  return client.evacuationMove.findMany({ where: { windowId }, select: MOVE_PROGRESS });
}

/** Source and destination of the window's migrations in flight (its slots in use). */
export function activeWindowMigrations(client: Tx | typeof db, windowId: string) {
  return client.liveMigration.findMany({
    where: { windowId, state: { in: ACTIVE_STATES } },
    select: { sourceHostId: true, destHostId: true },
  });
}

export function vmsByUuid(tx: Tx, uuid: string) {
  return tx.vm.findMany({ where: { uuid } });
}

export async function vmIsMigrating(tx: Tx, vmUuid: string): Promise<boolean> {
  return !!(await tx.liveMigration.findFirst({
    where: { vmUuid, state: { in: ACTIVE_STATES } },
    select: { id: true },
  }));
}

const storedPlan = z.custom<StoredPlan | null>(
  (v) => v === null || (typeof v === "object" && Array.isArray((v as { moves?: unknown }).moves)),
);

/** A window's settings as the drain reads them, with its policy's name and its plan (null before planning). */
export async function drainWindow(tx: Tx, id: string) {
  const w = await tx.maintenanceWindow.findUniqueOrThrow({
    where: { id },
    include: { policy: { select: { name: true } } },
  });
  return { ...w, plan: storedPlan.parse(w.plan ?? null), policyName: w.policy?.name ?? null };
}

/** What the probe before a claim needs: the window's limits and plan, its slots in use, its moves. */
export async function windowForProbe(windowId: string) {
  const w = await db.maintenanceWindow.findUnique({
    where: { id: windowId },
    select: { state: true, maxOutbound: true, maxInbound: true, plan: true },
  });
  if (w?.state !== "running") return null;
  const [active, moves] = await Promise.all([
    activeWindowMigrations(db, windowId),
    db.evacuationMove.findMany({
      where: { windowId },
      orderBy: { order: "asc" },
      select: { ...MOVE_PROGRESS, id: true, sourceHostId: true, destHostId: true },
    }),
  ]);
  return { window: { ...w, plan: storedPlan.parse(w.plan ?? null) }, active, moves };
}

/** Running windows with no move pending or started (candidates for completion). */
export async function windowsWithMovesDone(): Promise<string[]> {
  const rows = await db.maintenanceWindow.findMany({
    where: { state: "running", moves: { none: { state: { in: ["pending", "started"] } } } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export function countUnfinishedMoves(tx: Tx, windowId: string): Promise<number> {
  return tx.evacuationMove.count({ where: { windowId, state: { in: ["pending", "started"] } } });
}

export function drainedHosts(tx: Tx, windowId: string) {
  return tx.windowHost.findMany({
    where: { windowId },
    include: { host: { select: { id: true, name: true, status: true, lastSeenAt: true } } },
  });
}

/** A drained host's running VMs, and when the window's last migration off it completed. */
export async function drainedHostState(
  tx: Tx,
  windowId: string,
  hostId: string,
): Promise<{ running: { name: string }[]; lastEndedAt: Date | null }> {
  const [running, lastEnd] = await Promise.all([
    tx.vm.findMany({ where: { hostId, state: "running" }, select: { name: true } }),
    tx.liveMigration.aggregate({
      where: { windowId, sourceHostId: hostId, state: "completed" },
      _max: { endedAt: true },
    }),
  ]);
  return { running, lastEndedAt: lastEnd._max.endedAt };
}

export function setHostMaintenance(tx: Tx, hostId: string) {
  return tx.host.update({ where: { id: hostId }, data: { status: "maintenance" } });
}

export function completeWindow(tx: Tx, id: string, endedAt: Date) {
  return tx.maintenanceWindow.update({ where: { id }, data: { state: "completed", endedAt } });
}

/** Windows with moves that may start now. */
export async function runningWindowIds(): Promise<string[]> {
  const rows = await db.maintenanceWindow.findMany({
    where: { state: "running", moves: { some: { state: "pending" } } },
    select: { id: true },
    orderBy: { startedAt: "asc" },
  });
  return rows.map((r) => r.id);
}

/** The fleet as a retry-elsewhere sees it: hosts, VMs, what in-flight migrations and pending moves hold, hosts being drained. */
export function retryFleetRows(tx: Tx) {
  return Promise.all([
    tx.host.findMany({ where: { status: { not: "removed" } } }),
    tx.vm.findMany({
      select: { id: true, uuid: true, name: true, hostId: true, state: true, vcpus: true, memoryBytes: true },
    }),
    tx.liveMigration.findMany({
      where: { state: { in: ACTIVE_STATES } },
      select: {
        vmName: true,
        destHostId: true,
        memoryBytes: true,
        vcpus: true,
        reservation: { select: { memoryBytes: true, vcpus: true } },
      },
    }),
    tx.evacuationMove.findMany({
      where: { state: "pending" },
      select: { id: true, vmUuid: true, vmName: true, destHostId: true },
    }),
    tx.windowHost.findMany({ where: { window: { state: { in: ["running", "paused"] } } }, select: { hostId: true } }),
  ]);
}
