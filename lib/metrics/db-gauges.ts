import "server-only";
// Fleet-wide gauges read from Postgres at scrape time. Served by the web servers only (see
// convoy.ts): every web server reports the same values, so aggregate them with max(), not sum().
import { readQueueDepths } from "@/lib/db/queue-depths";
import { env } from "@/lib/env";
import { ACTIVE_STATES } from "@/lib/migration/state-machine";
import { metrics } from "./convoy";

export async function refreshDbGauges(): Promise<void> {
  const m = metrics();
  try {
    const intervalS = env().CONVOY_INVENTORY_INTERVAL_MS / 1000;
    const { states, ...q } = await readQueueDepths(intervalS);
    const byState = new Map(states.map((s) => [s.state, s.n]));
    m.inFlight.replace(ACTIVE_STATES.map((state) => ({ labels: { state }, value: byState.get(state) ?? 0 })));
    m.queueDepth.replace([
      { labels: { queue: "migrations" }, value: byState.get("queued") ?? 0 },
      { labels: { queue: "moves" }, value: q.moves },
      { labels: { queue: "inventory" }, value: q.inventory },
      { labels: { queue: "alerts" }, value: q.alerts },
    ]);
    m.dbUp.set(undefined, 1);
  } catch {
    m.dbUp.set(undefined, 0);
  }
}
