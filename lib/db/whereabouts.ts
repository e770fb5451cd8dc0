import "server-only";
import { db } from "@/lib/db/client";

/** How often an unsettled "where is the guest" reading is asked again, and for how long. */
export const RECHECK_EVERY_S = 5;
const RECHECK_FOR_H = 24;

/**
 * Claims ended migrations whose guest location is not a resting state (paused somewhere, a host
 * that could not be asked, two copies or none) and is due for another look; stamping
 * `guestLocationAt` in the same statement keeps other workers off them (SKIP LOCKED).
 */
export async function claimWhereaboutsRechecks(limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "LiveMigration" SET "guestLocationAt" = now()
    WHERE id IN (
      SELECT id FROM "LiveMigration"
      WHERE "guestLocationSettled" = false
        AND state IN ('completed', 'failed', 'cancelled', 'lost')
        AND "guestLocationAt" < now() - make_interval(secs => ${RECHECK_EVERY_S})
        AND "endedAt" > now() - make_interval(hours => ${RECHECK_FOR_H})
      ORDER BY "guestLocationAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}
