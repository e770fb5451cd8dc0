// The typed job-statistics record shared by both domjobinfo forms (and by the job-completed event,
// which carries the same raw keys). Keys and units: virDomainGetJobStats (libvirt-domain.h).
import { VirshParseError } from "./errors";
import { parseUInt } from "./text";

export type JobType = "none" | "bounded" | "unbounded" | "completed" | "failed" | "cancelled";
export type JobOperation =
  | "unknown"
  | "start"
  | "save"
  | "restore"
  | "migration-in"
  | "migration-out"
  | "snapshot"
  | "snapshot-revert"
  | "dump"
  | "backup"
  | "snapshot-delete";

/** virDomainJobType order: the number printed by `--rawstats` is the index. */
export const JOB_TYPES: readonly JobType[] = ["none", "bounded", "unbounded", "completed", "failed", "cancelled"];
/** virDomainJobOperation order (the raw `operation` value is the index). */
export const JOB_OPERATIONS: readonly JobOperation[] = [
  "unknown",
  "start",
  "save",
  "restore",
  "migration-in",
  "migration-out",
  "snapshot",
  "snapshot-revert",
  "dump",
  "backup",
  "snapshot-delete",
];

/** All sizes in bytes, rates in bytes/s (dirty rate also in pages/s), times in ms. */
export type JobInfo = {
  /** rawstats: exact integers; pretty: sizes rounded to 0.001 of their unit (±0.5 KiB per MiB). */
  form: "rawstats" | "pretty";
  type: JobType;
  /** bounded/unbounded: a job is running now. */
  active: boolean;
  operation?: JobOperation;
  timeElapsedMs?: number;
  /** Elapsed time without the source→destination control transfer (completed jobs). */
  timeElapsedNetMs?: number;
  timeRemainingMs?: number;
  /**
   * Running job only: QEMU's estimate (remaining / bandwidth). Meaningless once in post-copy (the
   * lab shows 116145 ms while the VM runs on the destination).
   */
  expectedDowntimeMs?: number;
  /** Finished job only: the real downtime (raw key `downtime` means this once the job ended). */
  downtimeMs?: number;
  downtimeNetMs?: number;
  setupTimeMs?: number;
  dataTotalBytes?: number;
  dataProcessedBytes?: number;
  dataRemainingBytes?: number;
  memoryTotalBytes?: number;
  memoryProcessedBytes?: number;
  memoryRemainingBytes?: number;
  /** libvirt's memory_bps is bytes/s already (QEMU's mbps is megabits/s: see parse-qmp). */
  memoryBytesPerSecond?: number;
  memoryConstantPages?: number;
  memoryNormalPages?: number;
  memoryNormalBytes?: number;
  /** Pages dirtied per second over the last sync period; 0 during the first pass. */
  dirtyRatePagesPerSecond?: number;
  /** dirtyRatePagesPerSecond × pageSizeBytes (only when both are reported). */
  dirtyRateBytesPerSecond?: number;
  pageSizeBytes?: number;
  /** Pass number: 1 during the first full copy, +1 per dirty-page pass. */
  iteration?: number;
  postcopyRequests?: number;
  diskTotalBytes?: number;
  diskProcessedBytes?: number;
  diskRemainingBytes?: number;
  diskBytesPerSecond?: number;
  compressionCacheBytes?: number;
  compressionBytes?: number;
  compressionPages?: number;
  compressionCacheMisses?: number;
  compressionOverflow?: number;
  /** Current vCPU throttle in percent (auto-converge). */
  autoConvergeThrottlePercent?: number;
  diskTempUsedBytes?: number;
  diskTempTotalBytes?: number;
  success?: boolean;
  errorMessage?: string;
  /** Every key as received (raw names; for the pretty form, the values as printed). */
  raw: Record<string, string>;
};

type NumField = Exclude<
  { [K in keyof JobInfo]: JobInfo[K] extends number | undefined ? K : never }[keyof JobInfo],
  "expectedDowntimeMs" | "downtimeMs" | undefined
>;

/** Raw key → field. `downtime` is special: its meaning depends on whether the job still runs. */
export const RAW_NUMERIC: Readonly<Record<string, NumField>> = {
  time_elapsed: "timeElapsedMs",
  time_elapsed_net: "timeElapsedNetMs",
  time_remaining: "timeRemainingMs",
  downtime_net: "downtimeNetMs",
  setup_time: "setupTimeMs",
  data_total: "dataTotalBytes",
  data_processed: "dataProcessedBytes",
  data_remaining: "dataRemainingBytes",
  memory_total: "memoryTotalBytes",
  memory_processed: "memoryProcessedBytes",
  memory_remaining: "memoryRemainingBytes",
  memory_bps: "memoryBytesPerSecond",
  memory_constant: "memoryConstantPages",
  memory_normal: "memoryNormalPages",
  memory_normal_bytes: "memoryNormalBytes",
  memory_dirty_rate: "dirtyRatePagesPerSecond",
  memory_page_size: "pageSizeBytes",
  memory_iteration: "iteration",
  memory_postcopy_requests: "postcopyRequests",
  disk_total: "diskTotalBytes",
  disk_processed: "diskProcessedBytes",
  disk_remaining: "diskRemainingBytes",
  disk_bps: "diskBytesPerSecond",
  compression_cache: "compressionCacheBytes",
  compression_bytes: "compressionBytes",
  compression_pages: "compressionPages",
  compression_cache_misses: "compressionCacheMisses",
  compression_overflow: "compressionOverflow",
  auto_converge_throttle: "autoConvergeThrottlePercent",
  disk_temp_used: "diskTempUsedBytes",
  disk_temp_total: "diskTempTotalBytes",
};

/**
 * Builds a JobInfo from raw-named values already converted to base units. Unknown keys stay in
 * `raw` only: newer libvirt adds keys, and an unknown key is information, not an error.
 */
export function buildJobInfo(
  form: JobInfo["form"],
  type: JobType,
  values: ReadonlyMap<string, number | string | boolean>,
  raw: Record<string, string>,
  parser: string,
): JobInfo {
  const active = type === "bounded" || type === "unbounded";
  const info: JobInfo = { form, type, active, raw };
  for (const [key, value] of values) {
    const field = RAW_NUMERIC[key];
    if (field && typeof value === "number") info[field] = value;
    else if (key === "downtime" && typeof value === "number")
      info[active ? "expectedDowntimeMs" : "downtimeMs"] = value;
    else if (key === "operation") info.operation = operationOf(value, parser);
    else if (key === "success" && typeof value === "boolean") info.success = value;
    else if (key === "errmsg" && typeof value === "string") info.errorMessage = value;
  }
  if (info.dirtyRatePagesPerSecond !== undefined && info.pageSizeBytes !== undefined) {
    info.dirtyRateBytesPerSecond = info.dirtyRatePagesPerSecond * info.pageSizeBytes;
  }
  return info;
}

/** From the raw `key: value` texts (rawstats or a job-completed event). */
export function jobInfoFromRawStats(
  type: JobType,
  raw: Record<string, string>,
  parser = "jobInfoFromRawStats",
): JobInfo {
  const values = new Map<string, number | string | boolean>();
  for (const [key, text] of Object.entries(raw)) {
    if (key in RAW_NUMERIC || key === "downtime" || key === "operation") {
      values.set(key, parseUInt(text, parser, `${key}: ${text}`));
    } else if (key === "success") {
      if (text !== "yes" && text !== "no") throw new VirshParseError(parser, "expected yes/no", `${key}: ${text}`);
      values.set(key, text === "yes");
    } else {
      values.set(key, text);
    }
  }
  return buildJobInfo("rawstats", type, values, raw, parser);
}

function operationOf(value: number | string | boolean, parser: string): JobOperation {
  if (typeof value === "number") return JOB_OPERATIONS[value] ?? "unknown";
  const op = PRETTY_OPERATIONS[String(value)];
  if (!op) throw new VirshParseError(parser, "unknown operation", String(value));
  return op;
}

const PRETTY_OPERATIONS: Record<string, JobOperation> = {
  Unknown: "unknown",
  Start: "start",
  Save: "save",
  Restore: "restore",
  "Incoming migration": "migration-in",
  "Outgoing migration": "migration-out",
  Snapshot: "snapshot",
  "Snapshot revert": "snapshot-revert",
  Dump: "dump",
  Backup: "backup",
  "Snapshot delete": "snapshot-delete",
};
