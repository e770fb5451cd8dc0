// Shared types of the pure pre-copy model. Units: bytes, bytes/s, milliseconds, pages/s (dirty
// rate in job stats, like libvirt), percent (throttle). See README.md for the model.

export interface GuestWorkload {
  /** Bytes the guest writes per second (unthrottled). */
  dirtyRateBps: number;
  /** Hot set: a pass can re-dirty at most this many bytes (pages rewritten again only count once). */
  workingSetBytes: number;
  /** Share of RAM that is zero pages (sent as `memory_constant`, nearly free). */
  zeroFraction: number;
  /** Throttling (auto-converge) lowers the dirty rate only if the writer is CPU-bound (measured on the QEMU lab: a writer with no per-page work is barely slowed). */
  cpuBound: boolean;
  /** vCPUs that can fault concurrently in post-copy (only shapes `memory_postcopy_requests`); default 1. */
  vcpus?: number;
}

export type ProfileName = "idle" | "web" | "database" | "stress";

export interface MigrationParams {
  /** QEMU max-bandwidth; Infinity = unlimited (libvirt's default). 0 is treated as unlimited, like QEMU 7.2. */
  maxBandwidthBps: number;
  downtimeLimitMs: number;
  autoConverge: boolean;
  cpuThrottleInitial: number;
  cpuThrottleIncrement: number;
  maxCpuThrottle: number;
  throttleTriggerThreshold: number;
  /** Started with --postcopy (armed); switching still needs startPostcopy() or a timeout. */
  postcopy: boolean;
  /** Device-state transfer at the switch: added to the real downtime. */
  deviceStateMs: number;
  setupMs: number;
  timeout?: { seconds: number; action: "suspend" | "postcopy" };
  /** Addition: QEMU max-postcopy-bandwidth (virsh --postcopy-bandwidth); Infinity = unlimited (default). */
  postcopyBandwidthBps?: number;
  /** Addition: virsh --postcopy-after-precopy: switch to post-copy right after the first pass. */
  postcopyAfterPrecopy?: boolean;
}

export const DEFAULT_PARAMS: MigrationParams = {
  maxBandwidthBps: Number.POSITIVE_INFINITY,
  downtimeLimitMs: 300,
  autoConverge: false,
  cpuThrottleInitial: 20,
  cpuThrottleIncrement: 10,
  maxCpuThrottle: 99,
  throttleTriggerThreshold: 50,
  postcopy: false,
  deviceStateMs: 25,
  setupMs: 5,
  postcopyBandwidthBps: Number.POSITIVE_INFINITY,
  postcopyAfterPrecopy: false,
};

export type MigrationPhase = "setup" | "precopy" | "postcopy" | "completed" | "cancelled" | "failed";

// remainingBytes (addition): what the sync left pending, i.e. the volume of the pass it starts.
export type MigrationEvent = {
  atMs: number;
} & (
  | { type: "iteration"; iteration: number; remainingBytes?: number }
  | { type: "throttle"; percent: number }
  | { type: "switchover"; remainingBytes: number }
  | { type: "postcopy-started" }
  | { type: "completed"; downtimeMs: number }
  | { type: "cancelled" }
  | { type: "failed"; reason: string }
  | { type: "guest-paused" }
);

/** Keys exactly as `virsh domjobinfo --rawstats` prints them (values are integers). */
export interface RawJobStats {
  [key: string]: number;
}
