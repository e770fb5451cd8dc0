import "server-only";
import type { Tx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma, WindowState } from "@/lib/generated/prisma/client";

// Writes of a maintenance window's life: create, the state moves, cancelling its pending moves.

export function hostsByIds(tx: Tx, ids: string[]) {
  return tx.host.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, status: true } });
}

export function createWindow(
  tx: Tx,
  data: Omit<Prisma.MaintenanceWindowUncheckedCreateInput, "hosts">,
  hostIds: string[],
) {
  return tx.maintenanceWindow.create({ data: { ...data, hosts: { create: hostIds.map((hostId) => ({ hostId })) } } });
}

export function getWindowWithHostNames(tx: Tx, windowId: string) {
  return tx.maintenanceWindow.findUnique({
    where: { id: windowId },
    include: { hosts: { include: { host: { select: { name: true } } } } },
  });
}

/** Hosts among `hostIds` that another running or paused window is draining. */
export function hostsDrainedElsewhere(tx: Tx, windowId: string, hostIds: string[]) {
  return tx.windowHost.findMany({
    where: { hostId: { in: hostIds }, window: { id: { not: windowId }, state: { in: ["running", "paused"] } } },
    include: { host: { select: { name: true } }, window: { select: { name: true } } },
  });
}

export async function windowState(tx: Tx, windowId: string): Promise<WindowState | null> {
  return (await tx.maintenanceWindow.findUnique({ where: { id: windowId }, select: { state: true } }))?.state ?? null;
}

/** The state check is in the UPDATE itself: a window that changed meanwhile is refused, never half-updated. */
export async function moveWindowState(
  t: Tx,
  windowId: string,
  from: WindowState[],
  to: WindowState,
  data: { startedAt?: Date; endedAt?: Date } = {},
) {
  const n = await t.maintenanceWindow.updateMany({
    where: { id: windowId, state: { in: from } },
    data: { ...data, state: to },
  });
  if (n.count === 0) {
    const state = await windowState(t, windowId);
    if (!state) throw new AppError("NOT_FOUND", "No such maintenance window.");
    throw new AppError("CONFLICT", `This window is ${state}: it cannot become ${to}.`);
  }
  return { windowId, state: to };
}

/** Cancels the window's moves not started yet; returns how many, and how many are still in flight. */
export async function cancelPendingMoves(tx: Tx, windowId: string): Promise<{ cancelled: number; inFlight: number }> {
  const cancelled = await tx.evacuationMove.updateMany({
    where: { windowId, state: "pending" },
    data: { state: "cancelled", endedAt: new Date() },
  });
  const inFlight = await tx.evacuationMove.count({ where: { windowId, state: "started" } });
  return { cancelled: cancelled.count, inFlight };
}
