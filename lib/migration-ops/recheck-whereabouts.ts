import "server-only";
import { getMigration } from "@/lib/db/migrations";
import { claimWhereaboutsRechecks, recordWhereabouts } from "@/lib/db/whereabouts";
import { log } from "@/lib/log";
import { locateGuest } from "@/lib/migration-ops/locate";

/**
 * Asks both hosts again about guests whose location was not settled when their migration ended
 * (e.g. the source's libvirtd down, a paused copy left on the destination). Each reading is
 * stored; a change is an event. Unknown / both / nowhere readings alert (lib/alerts/outbox.ts).
 */
export async function recheckWhereabouts(limit = 20): Promise<number> {
  const ids = await claimWhereaboutsRechecks(limit);
  await Promise.all(
    ids.map(async (id) => {
      const m = await getMigration(id);
      if (!m) return;
      try {
        const { where } = await locateGuest(m);
        await recordWhereabouts(m, where);
      } catch (e) {
        log.warn("guest location re-check failed", { migrationId: id, error: e });
      }
    }),
  );
  return ids.length;
}
