import "server-only";
// Fleet-wide gauges read from Postgres at scrape time. Served by the web servers only (see
// convoy.ts): every web server reports the same values, so aggregate them with max(), not sum().
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { metrics } from "./convoy";

const STATES = ["queued", "launching", "running", "postcopy"] as const;

export async function refreshDbGauges(): Promise<void> {
  const m = metrics();
  try {
    const intervalS = env().CONVOY_INVENTORY_INTERVAL_MS / 1000;
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
    const byState = new Map(states.map((s) => [s.state, s.n]));
    m.inFlight.replace(STATES.map((state) => ({ labels: { state }, value: byState.get(state) ?? 0 })));
    m.queueDepth.replace([
      { labels: { queue: "migrations" }, value: byState.get("queued") ?? 0 },
      { labels: { queue: "moves" }, value: q?.moves ?? 0 },
      { labels: { queue: "inventory" }, value: q?.inventory ?? 0 },
      { labels: { queue: "alerts" }, value: q?.alerts ?? 0 },
    ]);
    m.dbUp.set(undefined, 1);
  } catch {
    m.dbUp.set(undefined, 0);
  }
}
