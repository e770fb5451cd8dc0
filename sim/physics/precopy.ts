// Deterministic model of one QEMU 7.2 / libvirt 9.0 live migration (pre-copy, auto-converge,
// pause, post-copy, timeouts, storage copy). Pure: the caller owns time (advance) and bandwidth.
// The rules follow QEMU's migration/migration.c and migration/ram.c (README.md beside this file);
// the stepping core is migration-engine.ts.
import { OPERATION, runningStats } from "./job-stats";
import { MigrationEngine } from "./migration-engine";
import type { MigrationEvent, MigrationPhase, RawJobStats } from "./types";

export { DEFAULT_PARAMS } from "./types";
export type { GuestWorkload, MigrationEvent, MigrationParams, MigrationPhase, RawJobStats } from "./types";
export { type PrecopyInit, WINDOW_MS } from "./migration-engine";

export class PrecopyMigration extends MigrationEngine {
  // ---- read-only state -------------------------------------------------------------------
  get phase(): MigrationPhase {
    if (this.end) return this.end;
    if (this.stage === "setup") return "setup";
    return this.stage === "switch" || this.stage === "postcopy" ? "postcopy" : "precopy";
  }
  get elapsedMs(): number {
    return this.t;
  }
  get throttlePercent(): number {
    return this.end ? 0 : this.ram.throttle;
  }
  get guestPaused(): boolean {
    return this.paused;
  }
  /** Addition: index of the RAM pass being sent (0 = first full pass; at completion = the stop-and-copy pass). */
  get pass(): number {
    return this.ram.passIndex;
  }
  /** Addition: QEMU dirty-sync-count (= memory_iteration). */
  get iteration(): number {
    return this.ram.iteration;
  }
  /** Addition: true once a failure during post-copy lost the guest. */
  get guestLost(): boolean {
    return this.lost;
  }
  /** Addition: real downtime once completed (ms), else null. */
  get downtimeMs(): number | null {
    return this.end === "completed" ? this.downtime : null;
  }

  demandBps(): number {
    switch (this.stage) {
      case "setup":
      case "disk":
      case "live":
        return this.p.maxBandwidthBps;
      case "stopcopy":
      case "device":
        return Number.POSITIVE_INFINITY; // final flush ignores rate limiting
      case "switch":
      case "postcopy":
        return this.p.postcopyBandwidthBps ?? Number.POSITIVE_INFINITY;
      default:
        return 0;
    }
  }

  // ---- controls ------------------------------------------------------------------------
  setMaxBandwidth(bps: number): void {
    const v = checkBps(bps);
    // Lab s8: `migrate-setspeed` during post-copy changed the post-copy stream's rate.
    if (this.stage === "switch" || this.stage === "postcopy") this.p.postcopyBandwidthBps = v;
    else this.p.maxBandwidthBps = v;
  }
  /** Addition: virsh migrate-setspeed --postcopy (QEMU max-postcopy-bandwidth). */
  setPostcopyBandwidth(bps: number): void {
    this.p.postcopyBandwidthBps = checkBps(bps);
  }
  setDowntimeLimit(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`downtime limit must be >= 0 ms, got ${ms}`);
    this.p.downtimeLimitMs = ms;
  }
  setThrottleParams(q: { initial?: number; increment?: number; max?: number }): void {
    for (const v of [q.initial, q.increment, q.max]) {
      if (v !== undefined && !(v >= 1 && v <= 99))
        throw new RangeError(`throttle parameters must be in 1..99, got ${v}`);
    }
    if (q.initial !== undefined) this.p.cpuThrottleInitial = q.initial;
    if (q.increment !== undefined) this.p.cpuThrottleIncrement = q.increment;
    if (q.max !== undefined) this.p.maxCpuThrottle = q.max;
  }
  pauseGuest(): void {
    this.doPause();
  }
  startPostcopy(): void {
    if (this.end) throw new Error("post-copy can only be started while outgoing migration is in progress");
    if (!this.p.postcopy)
      throw new Error("switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag");
    this.beginPostcopy();
  }
  abort(): void {
    if (this.stage === "switch" || this.stage === "postcopy")
      throw new Error("cannot abort migration in post-copy mode");
    if (this.end) throw new Error("no job is active on the domain");
    this.finish("cancelled");
    this.emit({ type: "cancelled" });
  }
  fail(reason: string): void {
    if (this.end) return;
    const inPostcopy = this.stage === "switch" || this.stage === "postcopy";
    if (inPostcopy) this.lost = true;
    this.finish("failed");
    this.emit({
      type: "failed",
      reason: inPostcopy
        ? `${reason}; guest lost: migration failed during post-copy, neither host has all of its memory`
        : reason,
    });
  }

  // ---- time ------------------------------------------------------------------------------
  advance(dtMs: number, availableBandwidthBps: number): MigrationEvent[] {
    return this.run(dtMs, availableBandwidthBps);
  }

  jobStats(): RawJobStats {
    if (this.finalStats) return { ...this.finalStats };
    if (this.end && this.finalCounters) return runningStats(this.finalCounters, this.expectedDowntime);
    return runningStats(this.counters(), this.expectedDowntime);
  }

  /** @param side addition: "destination" gives the incoming side's copy (operation 4). */
  completedStats(side: "source" | "destination" = "source"): RawJobStats | null {
    if (!this.finalStats) return null;
    return { ...this.finalStats, operation: side === "source" ? OPERATION.migrationOut : OPERATION.migrationIn };
  }
}

function checkBps(bps: number): number {
  if (!(bps >= 0)) throw new RangeError(`bandwidth must be >= 0 bytes/s, got ${bps}`);
  return bps === 0 ? Number.POSITIVE_INFINITY : bps; // QEMU 7.2: a zero rate limit means unlimited
}
