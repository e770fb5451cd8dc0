// The process's metrics. Each process (web server, worker) is its own scrape target, so these
// counters are per process; the fleet-wide gauges read from Postgres (in flight, queue depth) are
// served by the web servers only (lib/metrics/db-gauges.ts), never by workers, so a Prometheus
// sum() over targets does not count them twice — use max() across web servers.
import { Counter, Gauge, Histogram, Registry } from "./registry";

function create() {
  const registry = new Registry();
  return {
    registry,
    buildInfo: registry.register(new Gauge("convoy_build_info", "Convoy build and process role (value 1).")),
    actions: registry.register(
      new Counter("convoy_actions_total", "Server actions by name and outcome (ok, denied, invalid, error)."),
    ),
    samples: registry.register(
      new Counter("convoy_migration_samples_total", "Migration samples stored (rate() = samples/s)."),
    ),
    sampleLag: registry.register(
      new Histogram(
        "convoy_sample_publish_seconds",
        "From reading a job on the host to its sample being stored and published.",
        [0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      ),
    ),
    sshErrors: registry.register(
      new Counter(
        "convoy_ssh_errors_total",
        "SSH failures by host and kind (auth, host-key, timeout, exit, unreachable).",
      ),
    ),
    sshExec: registry.register(
      new Histogram(
        "convoy_ssh_exec_seconds",
        "Duration of SSH commands (queueing + connecting + running).",
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      ),
    ),
    alerts: registry.register(
      new Counter("convoy_alert_deliveries_total", "Webhook alert deliveries by kind and outcome (delivered, failed)."),
    ),
    inventoryRefreshes: registry.register(
      new Counter("convoy_inventory_refreshes_total", "Host inventory reads by outcome (ok, error)."),
    ),
    inventoryVmRowsWritten: registry.register(
      new Counter(
        "convoy_inventory_vm_rows_written_total",
        "VM rows inserted, updated or deleted by inventory refreshes (only changes are written).",
      ),
    ),
    loopErrors: registry.register(
      new Counter(
        "convoy_worker_loop_errors_total",
        "Worker loop iterations that threw (e.g. Postgres unreachable), by loop.",
      ),
    ),
    inFlight: registry.register(
      new Gauge("convoy_migrations_in_flight", "Migrations not yet finished, by state (from Postgres)."),
    ),
    queueDepth: registry.register(
      new Gauge(
        "convoy_queue_depth",
        "Work waiting, by queue: migrations (queued), moves (pending evacuation moves), inventory (hosts due a refresh), alerts (undelivered).",
      ),
    ),
    dbUp: registry.register(new Gauge("convoy_postgres_up", "1 if the last scrape reached Postgres.")),
  };
}

type ConvoyMetrics = ReturnType<typeof create>;
const g = globalThis as unknown as { __convoyMetrics?: ConvoyMetrics };

/** One registry per process (globalThis: Next may load this module in more than one bundle). */
export function metrics(): ConvoyMetrics {
  g.__convoyMetrics ??= create();
  return g.__convoyMetrics;
}
