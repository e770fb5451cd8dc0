// RAM side of the model: the pass being sent, the dirty log since the last bitmap sync, and what
// QEMU's migration_bitmap_sync() does at each sync (dirty-rate period, auto-converge trigger).
import type { GuestWorkload, MigrationParams } from "./types";

/** save_zero_page(): an 8-byte page header plus one byte on the wire per zero page. */
const ZERO_PAGE_WIRE_BYTES = 9;
/** migration_bitmap_sync(): rates and the throttle trigger run at most once a second. */
const RATE_PERIOD_MS = 1000;

export interface SyncResult {
  iteration: number;
  /** Bytes pending (the new pass) right after the sync. */
  pending: number;
  throttleChanged: boolean;
}

export class RamPasses {
  readonly memoryBytes: number;
  readonly pageSize: number;
  readonly dirtyRateBps: number;
  readonly cpuBound: boolean;
  readonly vcpus: number;
  /** Hot set: the most a sync period can dirty. */
  private readonly hot: number;
  private readonly nonZero: number;
  private readonly zeroBytes: number;
  passIndex = -1;
  iteration = 0;
  normalSent = 0;
  zeroSent = 0;
  wireSent = 0;
  dirtyRatePps = 0;
  remainingAtSync = 0;
  throttle = 0;
  private normal = 0;
  private zero = 0;
  private done = 1;
  private dirtySinceSync = 0;
  private highCnt = 0;
  private periodStart = 0;
  private periodDirty = 0;
  private periodXfer0 = 0;

  constructor(memoryBytes: number, w: GuestWorkload, pageSize: number) {
    if (!(memoryBytes > 0)) throw new RangeError(`memoryBytes must be > 0, got ${memoryBytes}`);
    if (!(pageSize > 0)) throw new RangeError(`pageSize must be > 0, got ${pageSize}`);
    this.memoryBytes = memoryBytes;
    this.pageSize = pageSize;
    this.dirtyRateBps = Math.max(0, w.dirtyRateBps);
    this.cpuBound = w.cpuBound;
    this.vcpus = Math.max(1, w.vcpus ?? 1);
    const zf = Math.min(1, Math.max(0, w.zeroFraction));
    this.zeroBytes = memoryBytes * zf;
    this.nonZero = memoryBytes - this.zeroBytes;
    this.hot = Math.min(Math.max(0, w.workingSetBytes), memoryBytes);
  }

  /** The setup sync (dirty-sync-count 1): pass 0 covers all of RAM. */
  start(t: number): SyncResult {
    this.passIndex = 0;
    this.setPass(this.nonZero, this.zeroBytes);
    this.iteration = 1;
    this.periodStart = t;
    this.periodXfer0 = this.wireSent;
    this.remainingAtSync = this.remainingBytes();
    return { iteration: 1, pending: this.remainingBytes(), throttleChanged: false };
  }

  private wire(): number {
    return this.normal + (this.zero / this.pageSize) * ZERO_PAGE_WIRE_BYTES;
  }
  wireLeft(): number {
    return this.wire() * (1 - this.done);
  }
  /** memory_remaining: pages still set in the bitmap (zero pages of pass 0 included). */
  remainingBytes(): number {
    return (this.normal + this.zero) * (1 - this.done);
  }
  drained(): boolean {
    return this.done >= 1;
  }

  /** Sends `bytes` on the wire; zero and normal pages go in proportion (interleaved in RAM). */
  send(bytes: number, drains: boolean): void {
    const w = this.wire();
    if (w <= 0) {
      this.done = 1;
      return;
    }
    const next = drains ? 1 : Math.min(1, this.done + bytes / w);
    const f = next - this.done;
    this.normalSent += f * this.normal;
    this.zeroSent += f * this.zero;
    this.wireSent += f * w;
    this.done = next;
  }

  /** The guest wrote `bytes`; rewriting pages already dirty since the last sync adds nothing past the hot set. */
  dirty(bytes: number): void {
    this.dirtySinceSync = Math.min(this.hot, this.dirtySinceSync + bytes);
  }

  /** What a sync right now would leave pending. */
  pendingIfSynced(): number {
    return this.remainingBytes() + this.newBits(true);
  }

  /**
   * migration_bitmap_sync(). `midPass`: the pass has not drained, so newly dirtied pages that are
   * still unsent in it are already set and count once. `final`: the completion or post-copy sync,
   * which merges into the current pass instead of starting a new one.
   */
  sync(t: number, mode: { midPass: boolean; final: boolean }, p: MigrationParams): SyncResult {
    const bits = this.newBits(mode.midPass);
    const residualNormal = this.normal * (1 - this.done);
    const residualZero = this.zero * (1 - this.done);
    this.dirtySinceSync = 0;
    this.iteration++;
    this.periodDirty += bits;
    let throttleChanged = false;
    if (t > this.periodStart + RATE_PERIOD_MS) {
      if (!mode.final && p.autoConverge) throttleChanged = this.triggerThrottle(p);
      this.dirtyRatePps = Math.floor((this.periodDirty / this.pageSize) * (1000 / (t - this.periodStart)));
      this.periodStart = t;
      this.periodDirty = 0;
      this.periodXfer0 = this.wireSent;
    }
    if (!mode.final) this.passIndex++;
    this.setPass(Math.min(this.memoryBytes, residualNormal + bits), residualZero);
    this.remainingAtSync = this.remainingBytes();
    return { iteration: this.iteration, pending: this.remainingBytes(), throttleChanged };
  }

  private setPass(normal: number, zero: number): void {
    this.normal = normal;
    this.zero = zero;
    this.done = normal + zero > 0 ? 0 : 1;
  }

  /** Dirty pages found by a sync now (whole pages; overlap with the unsent part when mid-pass). */
  private newBits(midPass: boolean): number {
    let overlap = 0;
    if (midPass && this.done < 1) {
      // Pass 0 covers all RAM uniformly; later passes consist of hot pages only.
      overlap =
        this.passIndex === 0
          ? 1 - this.done
          : this.hot > 0
            ? Math.min(1, (this.normal * (1 - this.done)) / this.hot)
            : 0;
    }
    const bytes = this.dirtySinceSync * (1 - overlap);
    return Math.floor(bytes / this.pageSize + 1e-9) * this.pageSize;
  }

  /** migration_trigger_throttle() + mig_throttle_guest_down() (no tailslow). */
  private triggerThrottle(p: MigrationParams): boolean {
    const xfer = this.wireSent - this.periodXfer0;
    if (!(this.periodDirty > (xfer * p.throttleTriggerThreshold) / 100)) return false;
    if (++this.highCnt < 2) return false;
    this.highCnt = 0;
    const before = this.throttle;
    const next = before === 0 ? p.cpuThrottleInitial : Math.min(before + p.cpuThrottleIncrement, p.maxCpuThrottle);
    this.throttle = Math.min(99, Math.max(1, next)); // cpu_throttle_set() clamps to 1..99
    return this.throttle !== before;
  }
}
