// Builds `virsh domjobinfo --rawstats` key sets (libvirt 9.0 order and presence rules, see the
// fixtures s1-01-domjobinfo-rawstats.txt and the job-completed events) from the model's counters.
import type { RawJobStats } from "./types";

/** libvirt's virDomainJobOperation: MIGRATION_IN = 4, MIGRATION_OUT = 5. */
export const OPERATION = { migrationIn: 4, migrationOut: 5 } as const;

/** libvirt reports completed times with and without the control-flow hop; the captures show 1-4 ms. */
const NET_OVERHEAD_MS = 2;

export interface Counters {
  elapsedMs: number;
  setupMs: number;
  memoryBytes: number;
  pageSize: number;
  memoryProcessed: number;
  memoryRemaining: number;
  memoryBps: number;
  zeroBytesSent: number;
  normalBytesSent: number;
  dirtyRatePps: number;
  iteration: number;
  postcopyRequests: number;
  diskTotal: number;
  diskProcessed: number;
  diskBps: number;
  throttlePercent: number;
}

function common(c: Counters, memoryRemaining: number, memoryBps: number, dirtyRatePps: number): RawJobStats {
  const normalPages = Math.floor(c.normalBytesSent / c.pageSize + 1e-9);
  const memoryProcessed = Math.floor(c.memoryProcessed);
  const diskProcessed = Math.floor(c.diskProcessed);
  const diskRemaining = Math.max(0, Math.floor(c.diskTotal) - diskProcessed);
  return {
    data_total: Math.floor(c.memoryBytes + c.diskTotal),
    data_processed: memoryProcessed + diskProcessed,
    data_remaining: memoryRemaining + diskRemaining,
    memory_total: Math.floor(c.memoryBytes),
    memory_processed: memoryProcessed,
    memory_remaining: memoryRemaining,
    memory_bps: Math.floor(memoryBps),
    memory_constant: Math.floor(c.zeroBytesSent / c.pageSize + 1e-9),
    memory_normal: normalPages,
    memory_normal_bytes: normalPages * c.pageSize,
    memory_dirty_rate: Math.floor(dirtyRatePps),
    memory_iteration: c.iteration,
    memory_postcopy_requests: Math.floor(c.postcopyRequests),
    memory_page_size: c.pageSize,
    disk_total: Math.floor(c.diskTotal),
    disk_processed: diskProcessed,
    disk_remaining: diskRemaining,
  };
}

/** Running job: `downtime` is QEMU's expected downtime; auto_converge_throttle only once throttling began. */
export function runningStats(c: Counters, expectedDowntimeMs: number): RawJobStats {
  const stats: RawJobStats = {
    operation: OPERATION.migrationOut,
    time_elapsed: Math.floor(c.elapsedMs),
    downtime: Math.round(expectedDowntimeMs),
    setup_time: Math.round(c.setupMs),
    ...common(c, Math.max(0, Math.floor(c.memoryRemaining)), c.memoryBps, c.dirtyRatePps),
  };
  if (c.diskTotal > 0) stats.disk_bps = Math.floor(c.diskBps);
  if (c.throttlePercent > 0) stats.auto_converge_throttle = Math.round(c.throttlePercent);
  return stats;
}

/** Completed job (source or destination side): real downtime, *_net keys, averages, nothing remaining. */
export function completedStats(c: Counters, downtimeMs: number, transferMs: number, operation: number): RawJobStats {
  const elapsed = Math.round(c.elapsedMs);
  const downtime = Math.round(downtimeMs);
  // QEMU's final mbps is the average over the transfer (total time minus setup).
  const avgBps = transferMs > 0 ? (c.memoryProcessed * 1000) / transferMs : 0;
  const stats: RawJobStats = {
    operation,
    time_elapsed: elapsed,
    time_elapsed_net: Math.max(0, elapsed - NET_OVERHEAD_MS),
    downtime,
    downtime_net: Math.max(0, downtime - NET_OVERHEAD_MS),
    setup_time: Math.round(c.setupMs),
    ...common({ ...c, diskProcessed: c.diskTotal }, 0, avgBps, 0),
  };
  if (c.diskTotal > 0) stats.disk_bps = Math.floor(c.diskBps);
  return stats;
}
