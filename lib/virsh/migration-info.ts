// QEMU's MigrationInfo (qapi/migration.json), normalised to bytes, bytes/s and ms. Filled from QMP
// query-migrate (exact) or from HMP `info migrate` (sizes in KiB, throughput rounded to 0.01 Mbit/s).

export const MIGRATION_STATUSES = [
  "none",
  "setup",
  "cancelling",
  "cancelled",
  "active",
  "postcopy-active",
  "postcopy-paused",
  "postcopy-recover-setup",
  "postcopy-recover",
  "completed",
  "failed",
  "colo",
  "pre-switchover",
  "device",
  "wait-unplug",
] as const;
export type MigrationStatus = (typeof MIGRATION_STATUSES)[number];

export type MigrationRam = {
  transferredBytes?: number;
  remainingBytes?: number;
  totalBytes?: number;
  duplicatePages?: number;
  skippedPages?: number;
  normalPages?: number;
  normalBytes?: number;
  dirtyPagesPerSecond?: number;
  /** dirtyPagesPerSecond × pageSizeBytes. */
  dirtyBytesPerSecond?: number;
  /** As QEMU reports it: megabits (10^6 bits) per second. */
  megabitsPerSecond?: number;
  /** megabitsPerSecond × 10^6 / 8, rounded — equals libvirt's memory_bps. */
  bytesPerSecond?: number;
  /** Number of dirty-bitmap syncs = passes (libvirt's memory_iteration). */
  dirtySyncCount?: number;
  postcopyRequests?: number;
  pageSizeBytes?: number;
  multifdBytes?: number;
  pagesPerSecond?: number;
  precopyBytes?: number;
  downtimeBytes?: number;
  postcopyBytes?: number;
};

export type MigrationInfo = {
  status: MigrationStatus;
  totalTimeMs?: number;
  /** While active: estimated downtime. */
  expectedDowntimeMs?: number;
  /** Once completed: real downtime. */
  downtimeMs?: number;
  setupTimeMs?: number;
  /** Present only once auto-converge has started throttling. */
  cpuThrottlePercent?: number;
  errorDesc?: string;
  blockedReasons?: string[];
  ram?: MigrationRam;
};

/** QEMU computes mbps as bits / 10^6 per second; libvirt multiplies by 10^6 / 8 for memory_bps. */
export function megabitsToBytesPerSecond(mbps: number): number {
  return Math.round((mbps * 1_000_000) / 8);
}
