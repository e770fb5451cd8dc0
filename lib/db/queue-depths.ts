import "server-only";
import { db } from "@/lib/db/client";

export type QueueDepths = { states: { state: string; n: number }[]; moves: number; inventory: number; alerts: number };

/** Migrations in flight by state, and the work waiting in each queue (hosts due longer than `intervalS`). */
export async function readQueueDepths(intervalS: number): Promise<QueueDepths> {
  const [states, [q]] = await Promise.all([
    db.$queryRaw<{ state: string; n: number }[]>`
      SELECT state::text AS state, count(*)::int AS n FROM "LiveMigration"
      WHERE state IN ('queued', 'launching', 'running', 'postcopy') GROUP BY state`,
    db.$queryRaw<{ moves: number; inventory: number; alerts: number }[]>`
      SELECT (SELECT count(*)::int FROM "EvacuationMove" WHERE state = 'pending') AS moves,
             (SELECT count(*)::int FROM "Host" WHERE status IN ('active', 'maintenance') AND "hostKeyFingerprint" IS NOT NULL
                AND ("lastCheckedAt" IS NULL OR "lastCheckedAt" < now() - make_interval(secs => ${intervalS}))) AS inventory,
             (SELECT count(*)::int FROM "AlertDelivery" WHERE "deliveredAt" IS NULL AND "gaveUpAt" IS NULL) AS alerts`,
  ]);
  return { states, moves: q?.moves ?? 0, inventory: q?.inventory ?? 0, alerts: q?.alerts ?? 0 };
}
