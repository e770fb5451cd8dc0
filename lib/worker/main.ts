// The worker process: refreshes inventory over pooled SSH (and, in later issues, samples
// migrations and runs evacuations). Several workers may share one Postgres: hosts are claimed
// with SKIP LOCKED, so each is read by one worker per interval.
import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { getSshPool } from "@/lib/ssh/pool";
import { refreshInventoryOnce } from "@/lib/worker/inventory-refresh";
import { probePendingHostKeys } from "@/lib/worker/probe-pending-keys";

const TICK_MS = 1_000;
let running = true;

async function loop(): Promise<void> {
  log.info("worker started", { inventoryIntervalMs: env().CONVOY_INVENTORY_INTERVAL_MS });
  while (running) {
    const started = Date.now();
    try {
      await Promise.all([refreshInventoryOnce(), probePendingHostKeys()]);
    } catch (e) {
      // A DB outage must not kill the worker: log it and try again on the next tick.
      log.error("worker tick failed", { error: e });
    }
    await sleep(Math.max(0, TICK_MS - (Date.now() - started)));
  }
}

async function shutdown(signal: string): Promise<void> {
  if (!running) return;
  running = false;
  log.info("worker stopping", { signal });
  await getSshPool().closeAll();
  await db.$disconnect();
  process.exit(0);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
await loop();
