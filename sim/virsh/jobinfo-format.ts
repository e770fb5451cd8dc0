// `virsh domjobinfo` output, pretty (cmdDomjobinfo) and --rawstats, from libvirt's typed
// parameters (keys of virDomainGetJobStats). Which lines appear follows cmdDomjobinfo: most
// are printed only when their key is present, bandwidths only when non-zero.
import { jobBytesLine, jobLine, padRight } from "./format";

export type JobStats = Record<string, number | string>;

export const JOB_TYPE = { none: 0, bounded: 1, unbounded: 2, completed: 3, failed: 4, cancelled: 5 } as const;
const JOB_TYPE_NAMES = ["None", "Bounded", "Unbounded", "Completed", "Failed", "Cancelled"];
const OPERATION_NAMES = [
  "Unknown",
  "Start",
  "Save",
  "Restore",
  "Incoming migration",
  "Outgoing migration",
  "Snapshot",
  "Snapshot revert",
  "Dump",
  "Backup",
  "Snapshot delete",
];

/** Order in which libvirt 9.0 (qemuDomainJobDataToParams) emits the keys; see the captures. */
const RAW_ORDER = [
  "operation",
  "time_elapsed",
  "time_elapsed_net",
  "time_remaining",
  "downtime",
  "downtime_net",
  "setup_time",
  "data_total",
  "data_processed",
  "data_remaining",
  "memory_total",
  "memory_processed",
  "memory_remaining",
  "memory_bps",
  "memory_constant",
  "memory_normal",
  "memory_normal_bytes",
  "memory_dirty_rate",
  "memory_iteration",
  "memory_postcopy_requests",
  "memory_page_size",
  "disk_total",
  "disk_processed",
  "disk_remaining",
  "disk_bps",
  "compression_cache",
  "compression_bytes",
  "compression_pages",
  "compression_cache_misses",
  "compression_overflow",
  "auto_converge_throttle",
  "disk_temp_used",
  "disk_temp_total",
  "errmsg",
];

/** Keys in libvirt's order; unknown keys (if the physics adds some) go last, in their own order. */
export function orderedStats(stats: JobStats): [string, number | string][] {
  const known = RAW_ORDER.filter((k) => k in stats).map((k) => [k, stats[k]] as [string, number | string]);
  const extra = Object.entries(stats).filter(([k]) => !RAW_ORDER.includes(k));
  return [...known, ...extra];
}

/** `virsh domjobinfo --rawstats`: "Job type: N", an empty line, then "key: value". */
export function formatRawJobInfo(type: number, stats: JobStats): string {
  let out = `Job type: ${type}\n\n`;
  if (type === JOB_TYPE.none) return out;
  for (const [k, v] of orderedStats(stats)) out += `${k}: ${typeof v === "number" ? Math.round(v) : v}\n`;
  return out;
}

/** `virsh domjobinfo` (pretty). */
export function formatJobInfo(type: number, stats: JobStats): string {
  let out = jobLine("Job type:", JOB_TYPE_NAMES[type] ?? "Unknown");
  if (type === JOB_TYPE.none) return out;
  const num = (k: string): number | undefined =>
    typeof stats[k] === "number" ? Math.round(stats[k] as number) : undefined;
  const has = (k: string) => num(k) !== undefined;
  const v = (k: string) => num(k) ?? 0;

  out += jobLine("Operation:", OPERATION_NAMES[v("operation")] ?? "Unknown");
  out += jobLine("Time elapsed:", String(v("time_elapsed")), "ms");
  if (has("time_elapsed_net")) out += jobLine("Time elapsed w/o network:", String(v("time_elapsed_net")), "ms");
  if (type === JOB_TYPE.bounded) out += jobLine("Time remaining:", String(v("time_remaining")), "ms");
  if (v("data_total") || v("data_remaining") || v("data_processed")) {
    out += jobBytesLine("Data processed:", v("data_processed"));
    out += jobBytesLine("Data remaining:", v("data_remaining"));
    out += jobBytesLine("Data total:", v("data_total"));
  }
  if (v("memory_total") || v("memory_remaining") || v("memory_processed")) {
    out += jobBytesLine("Memory processed:", v("memory_processed"));
    out += jobBytesLine("Memory remaining:", v("memory_remaining"));
    out += jobBytesLine("Memory total:", v("memory_total"));
  }
  if (v("memory_bps")) out += jobBytesLine("Memory bandwidth:", v("memory_bps"), true);
  if (has("memory_dirty_rate")) out += jobLine("Dirty rate:", String(v("memory_dirty_rate")), "pages/s");
  if (has("memory_page_size")) out += jobLine("Page size:", String(v("memory_page_size")), "bytes");
  if (has("memory_iteration")) out += jobLine("Iteration:", String(v("memory_iteration")));
  if (has("memory_postcopy_requests")) out += jobLine("Postcopy requests:", String(v("memory_postcopy_requests")));
  if (v("disk_total") || v("disk_remaining") || v("disk_processed")) {
    out += jobBytesLine("File processed:", v("disk_processed"));
    out += jobBytesLine("File remaining:", v("disk_remaining"));
    out += jobBytesLine("File total:", v("disk_total"));
  }
  if (v("disk_bps")) out += jobBytesLine("File bandwidth:", v("disk_bps"), true);
  if (has("memory_constant")) out += jobLine("Constant pages:", String(v("memory_constant")));
  if (has("memory_normal")) out += jobLine("Normal pages:", String(v("memory_normal")));
  if (has("memory_normal_bytes")) out += jobBytesLine("Normal data:", v("memory_normal_bytes"));
  if (has("downtime")) {
    out += jobLine(type === JOB_TYPE.completed ? "Total downtime:" : "Expected downtime:", String(v("downtime")), "ms");
  }
  if (has("downtime_net")) out += jobLine("Downtime w/o network:", String(v("downtime_net")), "ms");
  if (has("setup_time")) out += jobLine("Setup time:", String(v("setup_time")), "ms");
  if (has("compression_cache")) out += jobBytesLine("Compression cache:", v("compression_cache"));
  if (has("compression_bytes")) out += jobBytesLine("Compressed data:", v("compression_bytes"));
  if (has("compression_pages")) out += jobLine("Compressed pages:", String(v("compression_pages")));
  if (has("compression_cache_misses"))
    out += jobLine("Compression cache misses:", String(v("compression_cache_misses")));
  if (has("compression_overflow")) out += jobLine("Compression overflows:", String(v("compression_overflow")));
  // "%-13d" here, one wider than the other columns (s2b-domjobinfo-samples.txt).
  if (has("auto_converge_throttle"))
    out += `Auto converge throttle: ${padRight(String(v("auto_converge_throttle")), 13)}\n`;
  if (typeof stats.errmsg === "string") out += jobLine("Error message:", stats.errmsg);
  return out;
}
