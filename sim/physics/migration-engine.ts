// The time-stepping core of PrecopyMigration: stages (setup → disk copy → live passes →
// stop-and-copy → device state, or the post-copy switch), QEMU's 100 ms bandwidth windows and the
// switchover rule of migration_iteration_run(). RAM-pass bookkeeping lives in ram-passes.ts; the
// public API (controls, stats) in precopy.ts.
import { completedStats, OPERATION, type Counters } from "./job-stats";
import { RamPasses, type SyncResult } from "./ram-passes";
import { createRng, type Rng } from "./rng";
import {
  DEFAULT_PARAMS,
  type GuestWorkload,
  type MigrationEvent,
  type MigrationParams,
  type RawJobStats,
} from "./types";

/** QEMU BUFFER_DELAY: bandwidth is measured and the switchover re-checked every 100 ms. */
export const WINDOW_MS = 100;
/** The dirty-rate noise factor is redrawn once per simulated second (on the window grid). */
const JITTER_EVERY_WINDOWS = 10;
/** A finite stand-in for "unlimited" so that times stay finite (≈ 80 Tb/s). */
const MAX_RATE_BPS = 1e13;
const POSTCOPY_QUEUE_BYTES = 512 * 1024; // background data a fault waits behind (no preempt channel)
const FAULT_RTT_S = 0.001;

type Stage = "setup" | "disk" | "live" | "stopcopy" | "device" | "switch" | "postcopy" | "done";

export interface PrecopyInit {
  memoryBytes: number;
  workload: GuestWorkload;
  params?: Partial<MigrationParams>;
  /** --copy-storage-all: sent before RAM at the same bandwidth. */
  diskBytesToCopy?: number;
  pageSize?: number;
  seed?: number;
  /** Relative dirty-rate noise (default 0.03); 0 = exact. */
  jitter?: number;
}

/** Shared state and stepping; see PrecopyMigration for the public API. */
export class MigrationEngine {
  protected readonly p: MigrationParams;
  protected readonly ram: RamPasses;
  protected readonly rng: Rng;
  protected readonly jitter: number;
  protected readonly diskTotal: number;
  protected t = 0;
  protected stage: Stage = "setup";
  protected end: "completed" | "cancelled" | "failed" | null = null;
  protected stageEndMs: number;
  protected diskSent = 0;
  protected windowIndex = 0;
  protected windowBytes = 0;
  protected bwEstimate = 0;
  protected lastRate = 0;
  protected expectedDowntime: number;
  protected jitterFactor = 1;
  protected paused = false;
  protected pauseAt: number | null = null;
  protected switchAt: number | null = null;
  protected memStartAt: number | null = null;
  protected downtime: number | null = null;
  protected postcopyPending = false;
  protected postcopyStartRemaining = 0;
  protected requests = 0;
  protected timeoutFired = false;
  protected lost = false;
  protected queue: MigrationEvent[] = [];
  protected finalStats: RawJobStats | null = null;
  protected finalCounters: Counters | null = null;

  constructor(init: PrecopyInit) {
    // Keys passed as undefined keep their defaults (a plain spread would erase them).
    const given = Object.fromEntries(Object.entries(init.params ?? {}).filter(([, v]) => v !== undefined));
    this.p = { ...DEFAULT_PARAMS, ...given };
    if (this.p.maxBandwidthBps === 0) this.p.maxBandwidthBps = Number.POSITIVE_INFINITY;
    if (this.p.timeout?.action === "postcopy" && !this.p.postcopy)
      throw new Error("--timeout-postcopy requires --postcopy");
    this.jitter = Math.max(0, init.jitter ?? 0.03);
    this.rng = createRng(init.seed ?? 1);
    this.diskTotal = Math.max(0, init.diskBytesToCopy ?? 0);
    this.ram = new RamPasses(init.memoryBytes, init.workload, init.pageSize ?? 4096);
    this.stageEndMs = Math.max(0, this.p.setupMs);
    this.expectedDowntime = this.p.downtimeLimitMs; // QEMU starts expected-downtime at the limit
  }

  /** Moves job time forward by dtMs at the caller's bandwidth share and returns the events. */
  protected run(dtMs: number, availableBandwidthBps: number): MigrationEvent[] {
    if (!(dtMs >= 0)) throw new RangeError(`dtMs must be >= 0, got ${dtMs}`);
    const avail = Number.isNaN(availableBandwidthBps) ? 0 : Math.max(0, availableBandwidthBps);
    const target = this.t + dtMs;
    this.settle();
    while (!this.end && this.t < target) {
      const rate = this.rate(avail);
      let next = Math.min(target, (this.windowIndex + 1) * WINDOW_MS);
      if (this.stage === "setup" || this.stage === "device" || this.stage === "switch")
        next = Math.min(next, this.stageEndMs);
      const timeoutAt = this.timeoutAtMs();
      if (timeoutAt !== null && timeoutAt > this.t) next = Math.min(next, timeoutAt);
      const left = this.flowLeft();
      const drainAt = rate > 0 && left !== null ? this.t + (left / rate) * 1000 : Number.POSITIVE_INFINITY;
      next = Math.min(next, drainAt);
      this.integrate(next - this.t, rate, next >= drainAt);
      this.t = next;
      this.settle();
    }
    return this.flush();
  }

  protected emit(e: { type: MigrationEvent["type"] } & Record<string, unknown>): void {
    this.queue.push({ atMs: this.t, ...e } as MigrationEvent);
  }
  protected flush(): MigrationEvent[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  protected rate(avail: number): number {
    let cap: number;
    switch (this.stage) {
      case "disk":
      case "live":
        cap = this.p.maxBandwidthBps;
        break;
      case "stopcopy":
        cap = Number.POSITIVE_INFINITY;
        break;
      case "postcopy":
        cap = this.p.postcopyBandwidthBps ?? Number.POSITIVE_INFINITY;
        break;
      default:
        return 0;
    }
    return Math.min(avail, cap, MAX_RATE_BPS);
  }

  /** Wire bytes left in the current flow, or null when no flow runs. */
  protected flowLeft(): number | null {
    if (this.stage === "disk") return this.diskTotal - this.diskSent;
    if (this.stage === "live" || this.stage === "stopcopy" || this.stage === "postcopy") return this.ram.wireLeft();
    return null;
  }

  protected integrate(h: number, rate: number, drains: boolean): void {
    if (h <= 0) return;
    const bytes = (rate * h) / 1000;
    this.lastRate = rate;
    this.windowBytes += bytes;
    if (this.stage === "disk")
      this.diskSent = drains ? this.diskTotal : Math.min(this.diskTotal, this.diskSent + bytes);
    if (this.stage === "live" || this.stage === "stopcopy" || this.stage === "postcopy") this.ram.send(bytes, drains);
    if (this.stage === "live" && !this.paused) this.ram.dirty(this.dirtyRate(true) * (h / 1000));
    if (this.stage === "postcopy" && rate > 0 && !this.paused) {
      // Destination vCPUs fault on hot pages not yet received; each fault waits about one
      // round trip plus the background data queued ahead of it.
      const missing = this.postcopyStartRemaining > 0 ? this.ram.remainingBytes() / this.postcopyStartRemaining : 0;
      const touched = (this.dirtyRate(false) / this.ram.pageSize) * missing;
      const serviceS = FAULT_RTT_S + POSTCOPY_QUEUE_BYTES / rate;
      this.requests += Math.min(touched, this.ram.vcpus / serviceS) * (h / 1000);
    }
  }

  /** Guest write rate now: throttled only on the source and only if the writer is CPU-bound. */
  protected dirtyRate(onSource: boolean): number {
    const throttle = onSource && this.ram.cpuBound ? this.ram.throttle / 100 : 0;
    return this.ram.dirtyRateBps * (1 - throttle) * this.jitterFactor;
  }

  protected threshold(): number {
    const bw = this.bwEstimate > 0 ? this.bwEstimate : this.lastRate;
    return (bw * this.p.downtimeLimitMs) / 1000;
  }

  protected timeoutAtMs(): number | null {
    if (this.timeoutFired || !this.p.timeout) return null;
    return Math.max(0, this.p.timeout.seconds * 1000);
  }

  /** Handles everything due at the current instant; each branch changes state, so it terminates. */
  protected settle(): void {
    for (let guard = 0; guard < 1_000_000 && !this.end; guard++) {
      if (this.stage === "setup" && this.t >= this.stageEndMs) {
        if (this.diskTotal > 0) this.stage = "disk";
        else this.startMemory();
      } else if (this.stage === "disk" && this.diskSent >= this.diskTotal) this.startMemory();
      else if (this.stage === "live" && this.ram.drained()) this.onDrain();
      else if (this.stage === "stopcopy" && this.ram.drained()) {
        this.stage = "device";
        this.stageEndMs = this.t + this.p.deviceStateMs;
      } else if (this.stage === "device" && this.t >= this.stageEndMs) this.complete();
      else if (this.stage === "switch" && this.t >= this.stageEndMs) {
        this.stage = "postcopy";
        this.downtime = this.t - Math.min(this.pauseAt ?? this.t, this.switchAt ?? this.t) + 1;
      } else if (this.stage === "postcopy" && this.ram.drained()) this.complete();
      else if (this.t >= (this.windowIndex + 1) * WINDOW_MS) this.closeWindow();
      else if (this.timeoutAtMs() !== null && this.t >= (this.timeoutAtMs() ?? 0)) this.fireTimeout();
      else return;
    }
  }

  protected startMemory(): void {
    this.stage = "live";
    this.memStartAt = this.t;
    this.emitIteration(this.ram.start(this.t));
    if (this.postcopyPending) this.beginPostcopy();
  }

  protected onDrain(): void {
    const sync = this.ram.sync(this.t, { midPass: false, final: false }, this.p);
    this.emitIteration(sync);
    const wantPostcopy =
      this.postcopyPending || (this.p.postcopy && this.p.postcopyAfterPrecopy && this.ram.passIndex === 1);
    if (wantPostcopy) this.beginPostcopy();
    else if (sync.pending === 0 || sync.pending < this.threshold()) this.switchover();
  }

  protected closeWindow(): void {
    this.bwEstimate = (this.windowBytes * 1000) / WINDOW_MS;
    this.windowBytes = 0;
    this.windowIndex++;
    if (this.jitter > 0 && this.windowIndex % JITTER_EVERY_WINDOWS === 0) {
      this.jitterFactor = Math.max(0, 1 + this.jitter * this.rng.normal());
    }
    // migration_update_counters: expected downtime = dirty bytes at the last sync / bandwidth,
    // recomputed only once a dirty rate exists (so pass 1 shows the limit itself, like the lab).
    if (this.ram.dirtyRatePps > 0 && this.ram.wireSent > 10_000 && this.bwEstimate > 0) {
      this.expectedDowntime = (this.ram.remainingAtSync * 1000) / this.bwEstimate;
    }
    // migration_iteration_run: QEMU syncs as soon as pending < threshold and completes if the
    // re-synced pending is still below it. Only the completing case is taken mid-pass, so that
    // pass volumes stay the geometric ones (README: "sync convention").
    if (this.stage === "live") {
      const pending = this.ram.pendingIfSynced();
      if (pending === 0 || pending < this.threshold()) {
        this.emitIteration(this.ram.sync(this.t, { midPass: true, final: false }, this.p));
        this.switchover();
      }
    }
  }

  protected switchover(): void {
    const sync = this.ram.sync(this.t, { midPass: true, final: true }, this.p);
    this.emitIteration(sync);
    this.switchAt = this.t;
    this.stage = "stopcopy";
    this.emit({ type: "switchover", remainingBytes: sync.pending });
  }

  protected beginPostcopy(): void {
    if (this.stage === "setup" || this.stage === "disk") {
      this.postcopyPending = true;
      return;
    }
    if (this.stage !== "live") return; // already switching or past the point of no return
    this.postcopyPending = false;
    this.emitIteration(this.ram.sync(this.t, { midPass: true, final: true }, this.p));
    this.switchAt = this.t;
    this.postcopyStartRemaining = this.ram.remainingBytes();
    this.stage = "switch";
    this.stageEndMs = this.t + this.p.deviceStateMs;
    this.emit({ type: "postcopy-started" });
  }

  protected doPause(): void {
    if (this.paused || this.end || this.stage === "switch" || this.stage === "postcopy") return;
    this.paused = true;
    this.pauseAt = this.t;
    this.emit({ type: "guest-paused" });
  }

  protected fireTimeout(): void {
    this.timeoutFired = true;
    if (this.stage !== "setup" && this.stage !== "disk" && this.stage !== "live") return;
    if (this.p.timeout?.action === "suspend") this.doPause();
    else this.beginPostcopy();
  }

  protected emitIteration(sync: SyncResult): void {
    this.emit({ type: "iteration", iteration: sync.iteration, remainingBytes: sync.pending });
    if (sync.throttleChanged) this.emit({ type: "throttle", percent: this.ram.throttle });
  }

  protected complete(): void {
    if (this.stage !== "postcopy") {
      this.downtime = this.t - Math.min(this.pauseAt ?? this.t, this.switchAt ?? this.t);
    }
    const downtime = this.downtime ?? 0;
    this.finish("completed");
    const c = this.counters();
    const transferMs = this.t - (this.memStartAt ?? 0);
    this.finalStats = completedStats(
      { ...c, diskBps: this.diskAvgBps() },
      downtime,
      transferMs,
      OPERATION.migrationOut,
    );
    this.emit({ type: "completed", downtimeMs: Math.round(downtime) });
  }

  protected finish(end: "completed" | "cancelled" | "failed"): void {
    this.finalCounters = this.counters();
    this.end = end;
    this.stage = "done";
  }

  protected diskAvgBps(): number {
    const diskMs = (this.memStartAt ?? this.t) - this.p.setupMs;
    return this.diskTotal > 0 && diskMs > 0 ? (this.diskTotal * 1000) / diskMs : 0;
  }

  protected counters(): Counters {
    const memStarted = this.memStartAt !== null;
    return {
      elapsedMs: this.t,
      setupMs: this.p.setupMs,
      memoryBytes: this.ram.memoryBytes,
      pageSize: this.ram.pageSize,
      memoryProcessed: this.ram.wireSent,
      memoryRemaining: memStarted ? this.ram.remainingBytes() : this.ram.memoryBytes,
      memoryBps: this.stage === "disk" ? 0 : this.bwEstimate,
      zeroBytesSent: this.ram.zeroSent,
      normalBytesSent: this.ram.normalSent,
      dirtyRatePps: this.ram.dirtyRatePps,
      iteration: this.ram.iteration,
      postcopyRequests: this.requests,
      diskTotal: this.diskTotal,
      diskProcessed: this.diskSent,
      diskBps: this.stage === "disk" ? this.bwEstimate : 0,
      throttlePercent: this.ram.throttle,
    };
  }
}
