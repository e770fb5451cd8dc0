// Domain types of a live migration, shared by the worker, the live page and the predictor.
// Units are base units everywhere: bytes, bytes/s, ms. Time is always passed in (no clocks here).

/**
 * One reading of the source's job statistics (`virsh domjobinfo --rawstats`), normalised.
 * `dirtyRateBps` is libvirt's `memory_dirty_rate` (pages/s) × page size: the bytes dirtied per
 * second over the *previous* sync period, 0 during the first pass.
 */
export type MigrationSample = {
  /** Wall clock of the reading (ms since the epoch, or any monotonic origin shared by a history). */
  atMs: number;
  /** libvirt's `time_elapsed`: ms since the job started. */
  elapsedMs: number;
  processedBytes: number;
  remainingBytes: number;
  totalBytes: number;
  dirtyRateBps: number;
  transferRateBps: number;
  /** libvirt's `memory_iteration`: 1 during the first full copy, +1 per dirty-page pass. */
  iteration: number;
  /** Auto-converge vCPU throttle in percent (0 when not throttling). */
  throttlePct: number;
  /** QEMU's estimate while running (dirty bytes at the last sync / bandwidth); meaningless in post-copy. */
  expectedDowntimeMs: number;
  /** Pages the destination faulted in from the source; > 0 means the job is in post-copy. */
  postcopyRequests: number;
};

export type MigrationState =
  | "queued"
  | "launching"
  | "running"
  | "postcopy"
  | "completed"
  | "failed"
  | "cancelled"
  | "lost";

/** QEMU's auto-converge parameters, all in percent (migration/options.c). */
export type AutoConvergeParams = {
  /** cpu-throttle-initial: the first step. */
  initial: number;
  /** cpu-throttle-increment: every later step. */
  increment: number;
  /** max-cpu-throttle: the cap (QEMU clamps to 1..99). */
  max: number;
  /** throttle-trigger-threshold: a sync counts as "unproductive" when dirtied > this % of sent. */
  triggerThreshold: number;
};

/** QEMU's defaults since 5.0 (A.4): 20 % initial, +10 %, capped at 99 %, trigger at 50 %. */
export const QEMU_AUTO_CONVERGE: AutoConvergeParams = { initial: 20, increment: 10, max: 99, triggerThreshold: 50 };

/** QEMU's default downtime-limit (DEFAULT_MIGRATE_SET_DOWNTIME) and its ceiling (2000 s). */
export const QEMU_DEFAULT_MAX_DOWNTIME_MS = 300;
export const QEMU_MAX_DOWNTIME_MS = 2_000_000;

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;
