// The worker process: launches queued migrations, samples every in-flight one each second,
// settles finished ones, checks landed guests are alive, runs maintenance-window drains, and refreshes inventory over pooled SSH.
// Several workers may share one Postgres: work is claimed with SKIP LOCKED and migrations are held
// by renewable leases, so a dead worker's migrations are adopted by another (or by itself after a
// restart).
import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { disconnectDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { deliverAlerts, evaluateAlerts } from "@/lib/alerts/outbox";
import { runScheduledStarts } from "@/lib/evacuation/scheduled-start";
import { log } from "@/lib/log";
import { checkLandedGuests } from "@/lib/migration-ops/guest-health";
import { metrics } from "@/lib/metrics/convoy";
import { getSshPool } from "@/lib/ssh/pool";
import { profileOnSignal } from "@/lib/worker/cpu-profile";
import { DrainLoop } from "@/lib/worker/drain-loop";
import { InventoryRefresher } from "@/lib/worker/inventory-refresh";
import { startWorkerMetrics } from "@/lib/worker/metrics-server";
import { MigrationLoop } from "@/lib/worker/migration-loop";
import { probePendingHostKeys } from "@/lib/worker/probe-pending-keys";

const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
let running = true;

/**
 * Runs `fn` every `everyMs` on a fixed schedule, never overlapping itself: timer lateness does not
 * add up (samples stay at 1 Hz), and after an overrun the next run starts soon rather than in a
 * burst of catch-ups. Errors are logged, not fatal (e.g. DB down).
 */
async function every(name: string, everyMs: number, fn: () => Promise<void>): Promise<void> {
  let next = Date.now();
  while (running) {
    try {
      await fn();
    } catch (e) {
      log.error(`${name} failed`, { error: e });
      metrics().loopErrors.inc({ loop: name });
    }
    next += everyMs;
    if (next - Date.now() < 50) next = Date.now() + 50;
    await new Promise((r) => setTimeout(r, next - Date.now()));
  }
}

async function shutdown(signal: string): Promise<void> {
  if (!running) return;
  running = false;
  log.info("worker stopping", { signal, workerId });
  // Leases simply expire: the migrations keep running on the hosts and are adopted on restart.
  await getSshPool().closeAll();
  await disconnectDb();
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

log.info("worker started", { workerId, inventoryIntervalMs: env().CONVOY_INVENTORY_INTERVAL_MS });
startWorkerMetrics();
profileOnSignal();
const migrations = new MigrationLoop(workerId);
const drains = new DrainLoop();
await Promise.all([
  every("migrations", 1_000, () => migrations.tick()),
  every("drains", 1_000, () => drains.tick()),
  // Armed windows start themselves at their start time (re-planned first when stale).
  every("schedule", 1_000, async () => {
    await runScheduledStarts(workerId, { now: () => new Date(), replanAfterMs: env().CONVOY_REPLAN_AFTER_MS });
  }),
  new InventoryRefresher(workerId).run(() => running),
  every("host keys", 1_000, probePendingHostKeys),
  // Landed guests: watched for the settle time, then judged alive or "landed, unhealthy".
  every("guest-health", 1_000, () => checkLandedGuests()),
  // Webhook alerts: find stalled/failed/overdue (idempotent inserts), then send what is due.
  every("alerts", 5_000, async () => {
    await evaluateAlerts();
    await deliverAlerts();
  }),
]);
