import "server-only";
import { db } from "@/lib/db/client";
import {
  addEvent,
  claimForSampling,
  claimQueued,
  getMigrations,
  type MigrationWithHosts,
  recordSamples,
} from "@/lib/db/migrations";
import { log } from "@/lib/log";
import { launchMigration } from "@/lib/migration-ops/launch";
import { recheckWhereabouts } from "@/lib/migration-ops/recheck-whereabouts";
import { readJob } from "@/lib/migration-ops/read-job";
import { SampleSettler, type TakenSample } from "@/lib/migration-ops/settle-sample";

/** Samples kept in memory while Postgres is unreachable (200 migrations × 100 s at 1 Hz). */
export const BACKLOG_MAX = 20_000;

/** How long a tick waits for its SSH reads: a host that stops answering must not slow the others. */
export const SAMPLE_WAIT_MS = 1_000;

/**
 * One tick: launch what is queued, then sample everything this worker holds — one query for the
 * rows, the SSH reads in parallel (one pooled connection per host), each reading settled as it
 * arrives (settle-sample.ts), one transaction for the samples.
 * A tick waits at most SAMPLE_WAIT_MS for the reads; a read still running then (a hung host, up to
 * its SSH timeout) is not started again and its sample joins the first tick after it returns.
 *
 * When Postgres is unreachable the migrations go on on the hosts regardless, so the worker keeps
 * sampling the ones it held (their last rows) into a bounded in-memory backlog and writes it once
 * Postgres answers again, with an event saying so; what did not fit is reported as a gap event,
 * never dropped silently.
 */
export class MigrationLoop {
  private settler = new SampleSettler();
  private launching = new Set<string>();
  private held = new Map<string, MigrationWithHosts>();
  private reading = new Map<string, Promise<void>>();
  private read: TakenSample[] = [];
  private backlog: TakenSample[] = [];
  private dropped = new Map<string, number>();
  private outageSince: Date | null = null;
  private rechecking: Promise<unknown> | null = null;

  constructor(private readonly workerId: string) {}

  async tick(): Promise<void> {
    let rows: MigrationWithHosts[];
    try {
      rows = await this.claim();
    } catch (e) {
      if (this.held.size === 0) throw e;
      if (!this.outageSince) {
        this.outageSince = new Date();
        log.warn("Postgres unreachable: sampling held migrations into memory", { held: this.held.size, error: e });
      }
      this.keep(
        await this.sampleAll([...this.held.values()].filter((m) => m.state === "running" || m.state === "postcopy")),
      );
      return;
    }
    this.held = new Map(rows.map((m) => [m.id, m]));
    if (this.outageSince) await this.flushBacklog();
    this.recheckGuests();
    if (rows.length === 0) return;
    const samples = await this.sampleAll(rows);
    await recordSamples(samples);
    await Promise.all(
      samples.map((t) =>
        this.settler.escalate(t).catch((e) => log.error("escalation failed", { migrationId: t.m.id, error: e })),
      ),
    );
  }

  /** Where-is-the-guest re-checks run beside the sampling, one batch at a time, never delaying it. */
  private recheckGuests(): void {
    this.rechecking ??= recheckWhereabouts()
      .catch((e) => log.warn("guest location re-checks failed", { error: e }))
      .finally(() => {
        this.rechecking = null;
      });
  }

  private async claim(): Promise<MigrationWithHosts[]> {
    for (const id of await claimQueued(this.workerId, 8)) {
      this.launching.add(id);
      void launchMigration(id)
        .catch((e) => log.error("launch crashed", { migrationId: id, error: e }))
        .finally(() => this.launching.delete(id));
    }
    const owned = (await claimForSampling(this.workerId, 1_000)).filter((id) => !this.launching.has(id)); // launches still in progress here
    return owned.length ? getMigrations(owned) : [];
  }

  private async sampleAll(rows: MigrationWithHosts[]): Promise<TakenSample[]> {
    for (const m of rows) {
      if (this.reading.has(m.id)) continue; // still waiting on this host since an earlier tick
      // Read the job (SSH only), then settle what it says (transitions, events, the judged sample).
      const reading = readJob(m)
        .then((r) => this.settler.settle(m, r))
        .then((t) => {
          if (t) this.read.push(t);
        })
        .catch((e) => log.error("sampling failed", { migrationId: m.id, error: e }))
        .finally(() => this.reading.delete(m.id));
      this.reading.set(m.id, reading);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.reading.values()),
      new Promise((r) => (timer = setTimeout(r, SAMPLE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    const ids = new Set(rows.map((m) => m.id));
    const taken = this.read.filter((t) => ids.has(t.migrationId)); // late reads of migrations no longer held are dropped
    this.read = [];
    return taken;
  }

  private keep(samples: TakenSample[]): void {
    this.backlog.push(...samples);
    const over = this.backlog.length - BACKLOG_MAX;
    if (over <= 0) return;
    for (const t of this.backlog.splice(0, over))
      this.dropped.set(t.migrationId, (this.dropped.get(t.migrationId) ?? 0) + 1);
  }

  /** Postgres is back: store what was sampled meanwhile (for migrations still held) and say so. */
  private async flushBacklog(): Promise<void> {
    const since = this.outageSince ?? new Date();
    const backlog = this.backlog.filter((t) => this.held.has(t.migrationId));
    const kept = new Map<string, number>();
    for (const t of backlog) kept.set(t.migrationId, (kept.get(t.migrationId) ?? 0) + 1);
    await recordSamples(backlog);
    const seconds = Math.round((Date.now() - since.getTime()) / 1000);
    for (const id of new Set([...kept.keys(), ...this.dropped.keys()])) {
      const n = kept.get(id) ?? 0;
      const lost = this.dropped.get(id) ?? 0;
      await addEvent(db, {
        migrationId: id,
        source: "system",
        type: lost ? "samples-gap" : "samples-buffered",
        message: `Convoy's database was unreachable for ${seconds} s: ${n} sample${n === 1 ? "" : "s"} kept by the worker and stored late${lost ? `; ${lost} did not fit in memory (a gap in the curves)` : ""}.`,
        data: { since: since.toISOString(), kept: n, lost },
      });
    }
    log.info("Postgres reachable again: backlog stored", { samples: backlog.length, outageSeconds: seconds });
    this.backlog = [];
    this.dropped.clear();
    this.outageSince = null;
  }
}
