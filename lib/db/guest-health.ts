import "server-only";
// Queries of the guest health check after a landing (lib/migration-ops/guest-health.ts). Several
// workers share them: checks are claimed with SKIP LOCKED and a due time that doubles as a lease.
import { db } from "@/lib/db/client";
import { addEvent } from "@/lib/db/migrations";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A check claimed but not finished (its worker died) comes due again after this long. */
const CHECK_LEASE_MS = 30_000;

/**
 * Starts watching landings not yet checked: completed within `recentMs` (older ones are history:
 * the guest may have moved on since). Their verdict is due `settleMs` from now.
 */
export async function claimNewLandings(settleMs: number, recentMs: number, limit = 20): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "LiveMigration" SET "guestHealth" = 'checking', "guestHealthDueAt" = now() + make_interval(secs => ${settleMs / 1000})
    WHERE id IN (
      SELECT id FROM "LiveMigration"
      WHERE state = 'completed' AND "guestHealth" IS NULL AND "endedAt" > now() - make_interval(secs => ${recentMs / 1000})
      ORDER BY "endedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** Checks whose settle time is over, leased to this worker for CHECK_LEASE_MS. */
export async function claimDueChecks(limit = 20): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "LiveMigration" SET "guestHealthDueAt" = now() + make_interval(secs => ${CHECK_LEASE_MS / 1000})
    WHERE id IN (
      SELECT id FROM "LiveMigration"
      WHERE "guestHealth" = 'checking' AND "guestHealthDueAt" <= now()
      ORDER BY "guestHealthDueAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** The probe taken at landing; the verdict is due `settleMs` after it. */
export async function saveFirstProbe(id: string, probe: Prisma.InputJsonValue, settleMs: number): Promise<void> {
  await db.liveMigration.updateMany({
    where: { id, guestHealth: "checking" },
    data: { guestHealthProbe: probe, guestHealthDueAt: new Date(Date.now() + settleMs) },
  });
}

/** A probe the destination did not answer: the same check comes due again after `delayMs`. */
export async function retryGuestCheck(id: string, delayMs: number): Promise<void> {
  await db.liveMigration.updateMany({
    where: { id, guestHealth: "checking" },
    data: { guestHealthDueAt: new Date(Date.now() + delayMs) },
  });
}

/** The verdict, once (a no-op if another worker recorded it first), with an event on the migration. */
export async function recordGuestHealth(
  id: string,
  health: "healthy" | "unhealthy" | "unknown",
  reason: string,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const n = await tx.liveMigration.updateMany({
      where: { id, guestHealth: "checking" },
      data: { guestHealth: health, guestHealthReason: reason, guestHealthAt: new Date(), guestHealthDueAt: null },
    });
    if (n.count === 0) return false;
    const words =
      health === "healthy"
        ? "Guest healthy after landing"
        : health === "unhealthy"
          ? "Landed, unhealthy"
          : "Guest health unknown";
    await addEvent(tx, {
      migrationId: id,
      source: "system",
      type: `guest-${health}`,
      message: `${words}: ${reason}`,
      data: { health, reason },
    });
    return true;
  });
}

/** The admin's TCP check for a VM, if any. */
export function serviceCheckFor(vmUuid: string) {
  return db.vmServiceCheck.findUnique({ where: { vmUuid } });
}
