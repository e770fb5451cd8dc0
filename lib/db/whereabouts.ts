import "server-only";
import { claimIds } from "@/lib/db/claims";
import { transaction } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { addEvent } from "@/lib/db/migrations";
import { type Whereabouts, whereaboutsText } from "@/lib/migration/whereabouts";

/** How often an unsettled "where is the guest" reading is asked again, and for how long. */
export const RECHECK_EVERY_S = 5;
const RECHECK_FOR_H = 24;

/**
 * Claims ended migrations whose guest location is not a resting state (paused somewhere, a host
 * that could not be asked, two copies or none) and is due for another look; stamping
 * `guestLocationAt` in the same statement keeps other workers off them (SKIP LOCKED).
 */
export async function claimWhereaboutsRechecks(limit: number): Promise<string[]> {
  return claimIds({
    table: "LiveMigration",
    due: Prisma.sql`"guestLocationSettled" = false
      AND state IN ('completed', 'failed', 'cancelled', 'lost')
      AND "guestLocationAt" < now() - make_interval(secs => ${RECHECK_EVERY_S})
      AND "endedAt" > now() - make_interval(hours => ${RECHECK_FOR_H})`,
    lease: Prisma.sql`"guestLocationAt" = now()`,
    order: Prisma.sql`"guestLocationAt"`,
    limit,
  });
}

/** The row fields for a reading (stored with the outcome, or alone by a re-check). */
export function whereaboutsFields(w: Whereabouts) {
  return {
    guestLocation: w.location,
    guestLocationHost: w.host,
    guestLocationDetail: w.detail,
    guestLocationSettled: w.settled,
    guestLocationAt: new Date(),
  };
}

/**
 * Stores a re-check's reading; when the location changed, an event says so (the page and the
 * history show the row's fields, the event keeps the story).
 */
export async function recordWhereabouts(
  m: { id: string; guestLocation: string | null; guestLocationHost: string | null },
  w: Whereabouts,
): Promise<void> {
  await transaction(async (tx) => {
    await tx.liveMigration.update({ where: { id: m.id }, data: whereaboutsFields(w) });
    if (m.guestLocation === w.location && m.guestLocationHost === w.host) return; // nothing new to tell
    await addEvent(tx, {
      migrationId: m.id,
      source: "system",
      type: "guest-location",
      message: `The guest is ${whereaboutsText(w)} (${w.detail}).`,
      data: { location: w.location, host: w.host, settled: w.settled },
    });
  });
}
