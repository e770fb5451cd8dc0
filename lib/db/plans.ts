import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import type { StoredPlan } from "@/lib/evacuation/types";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// What planning a maintenance window reads (the fleet as it is) and stores (the plan and its moves).

export type PreparedPlan = { plan: StoredPlan; moves: Omit<Prisma.EvacuationMoveCreateManyInput, "windowId">[] };

export function getWindowForPlanning(windowId: string) {
  return db.maintenanceWindow.findUnique({
    where: { id: windowId },
    include: { hosts: true, policy: { select: { name: true, steps: true } } },
  });
}

/** Hosts, VMs, migrations in flight (with their last sample) and hosts other windows are draining. */
export function planningFleet(windowId: string) {
  return Promise.all([
    db.host.findMany({ where: { status: { not: "removed" } }, orderBy: { name: "asc" } }),
    db.vm.findMany({
      select: { id: true, uuid: true, name: true, hostId: true, state: true, vcpus: true, memoryBytes: true },
    }),
    db.liveMigration.findMany({
      where: { state: { in: ACTIVE_STATES } },
      select: {
        id: true,
        vmUuid: true,
        vmName: true,
        sourceHostId: true,
        destHostId: true,
        memoryBytes: true,
        vcpus: true,
        destHost: { select: { name: true } },
        reservation: { select: { memoryBytes: true, vcpus: true } },
        samples: { orderBy: { at: "desc" }, take: 1, select: { remainingBytes: true, transferRateBps: true } },
      },
    }),
    db.windowHost.findMany({
      where: { window: { id: { not: windowId }, state: { in: ["running", "paused"] } } },
      select: { hostId: true },
    }),
  ]);
}

/** A migration's remaining bytes in its last sample at or before `at`, if any. */
export async function remainingBytesAt(migrationId: string, at: Date): Promise<number | null> {
  const s = await db.migrationSample.findFirst({
    where: { migrationId, at: { lte: at } },
    orderBy: { at: "desc" },
    select: { remainingBytes: true },
  });
  return s ? Number(s.remainingBytes) : null;
}

/**
 * Stores a prepared plan: the whole Plan JSON on the window and one pending move per planned move,
 * replacing the previous plan's pending moves. Refuses (NOT_FOUND) when the window was run or
 * cancelled meanwhile — the state check is in the UPDATE itself. A plan made by hand replaces the
 * one its arming approved, so it disarms; the scheduler's own re-plan keeps it armed.
 */
export async function storePlan(
  tx: Tx,
  windowId: string,
  prepared: PreparedPlan,
  opts: { keepArmed?: boolean } = {},
): Promise<{ moves: number; disarmed: boolean }> {
  const before = await tx.maintenanceWindow.findUnique({ where: { id: windowId }, select: { armedAt: true } });
  const disarm = !opts.keepArmed && !!before?.armedAt;
  const n = await tx.maintenanceWindow.updateMany({
    where: { id: windowId, state: { in: ["draft", "planned"] } },
    data: {
      state: "planned",
      plan: prepared.plan as unknown as Prisma.InputJsonValue,
      ...(disarm ? { armedAt: null, armedById: null, armedByName: null } : {}),
    },
  });
  if (n.count === 0)
    throw new AppError("NOT_FOUND", "The window changed meanwhile (run or cancelled): reload the page.");
  await tx.evacuationMove.deleteMany({ where: { windowId, state: "pending" } });
  await tx.evacuationMove.createMany({ data: prepared.moves.map((m) => ({ ...m, windowId })) });
  return { moves: prepared.moves.length, disarmed: disarm };
}
