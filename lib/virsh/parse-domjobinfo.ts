// `virsh domjobinfo` in both forms. `--rawstats` is the primary one (what commands.domJobInfo asks
// for): "Job type: 2", a blank line, then "key: value" with exact integers. The pretty form
// ("Data processed:   765.112 MiB") is parsed too, for captures and older call sites.
import { VirshParseError } from "./errors";
import { buildJobInfo, JOB_TYPES, type JobInfo, type JobType, jobInfoFromRawStats } from "./job-info";
import { lines, parsePrettyRate, parsePrettySize, parseUInt } from "./text";

export type { JobInfo, JobOperation, JobType } from "./job-info";

const P = "parseDomJobInfo";

/** Either form, detected from the first line ("Job type: 2" vs "Job type:  Unbounded"). */
export function parseDomJobInfo(text: string): JobInfo {
  const first = lines(text)[0] ?? "";
  if (/^Job type:\s*\d+$/.test(first)) return parseDomJobInfoRaw(text);
  if (/^Job type:\s*[A-Za-z]+$/.test(first)) return parseDomJobInfoPretty(text);
  throw new VirshParseError(P, "expected 'Job type:' first", text);
}

export function parseDomJobInfoRaw(text: string): JobInfo {
  const [head, ...rest] = lines(text);
  const code = /^Job type:\s*(\d+)$/.exec(head ?? "")?.[1];
  const type = code === undefined ? undefined : JOB_TYPES[Number(code)];
  if (!type) throw new VirshParseError(P, "bad rawstats 'Job type' line", head ?? text);
  const raw: Record<string, string> = {};
  for (const line of rest) {
    if (line === "") continue;
    // Leading whitespace tolerated: the job-completed event prints the same lines tab-indented.
    const m = /^\s*([a-z0-9_]+): (.*)$/.exec(line);
    if (!m?.[1]) throw new VirshParseError(P, "expected 'key: value'", line);
    raw[m[1]] = m[2] ?? "";
  }
  return jobInfoFromRawStats(type, raw, P);
}

const PRETTY_TYPES: Record<string, JobType> = {
  None: "none",
  Bounded: "bounded",
  Unbounded: "unbounded",
  Completed: "completed",
  Failed: "failed",
  Cancelled: "cancelled",
};

type Unit = "ms" | "size" | "rate" | "pages/s" | "bytes" | "count" | "text";

/** Pretty label → raw key and how its value is printed (cmdDomjobinfo, tools/virsh-domain.c). */
const PRETTY: Record<string, [string, Unit]> = {
  Operation: ["operation", "text"],
  "Time elapsed": ["time_elapsed", "ms"],
  "Time elapsed w/o network": ["time_elapsed_net", "ms"],
  "Time remaining": ["time_remaining", "ms"],
  "Data processed": ["data_processed", "size"],
  "Data remaining": ["data_remaining", "size"],
  "Data total": ["data_total", "size"],
  "Memory processed": ["memory_processed", "size"],
  "Memory remaining": ["memory_remaining", "size"],
  "Memory total": ["memory_total", "size"],
  "Memory bandwidth": ["memory_bps", "rate"],
  "Dirty rate": ["memory_dirty_rate", "pages/s"],
  "Page size": ["memory_page_size", "bytes"],
  Iteration: ["memory_iteration", "count"],
  "Postcopy requests": ["memory_postcopy_requests", "count"],
  "Constant pages": ["memory_constant", "count"],
  "Normal pages": ["memory_normal", "count"],
  "Normal data": ["memory_normal_bytes", "size"],
  // Both print the raw `downtime`; buildJobInfo decides expected vs real from the job type.
  "Expected downtime": ["downtime", "ms"],
  "Total downtime": ["downtime", "ms"],
  "Downtime w/o network": ["downtime_net", "ms"],
  "Setup time": ["setup_time", "ms"],
  "File processed": ["disk_processed", "size"],
  "File remaining": ["disk_remaining", "size"],
  "File total": ["disk_total", "size"],
  "File bandwidth": ["disk_bps", "rate"],
  "Compression cache": ["compression_cache", "size"],
  "Compressed data": ["compression_bytes", "size"],
  "Compressed pages": ["compression_pages", "count"],
  "Compression cache misses": ["compression_cache_misses", "count"],
  "Compression overflows": ["compression_overflow", "count"],
  "Auto converge throttle": ["auto_converge_throttle", "count"],
  "Temporary disk space use": ["disk_temp_used", "size"],
  "Temporary disk space total": ["disk_temp_total", "size"],
  "Error message": ["errmsg", "text"],
};

export function parseDomJobInfoPretty(text: string): JobInfo {
  const [head, ...rest] = lines(text);
  const word = /^Job type:\s*(\S+)$/.exec(head ?? "")?.[1];
  const type = word === undefined ? undefined : PRETTY_TYPES[word];
  if (!type) throw new VirshParseError(P, "bad 'Job type' line", head ?? text);
  const values = new Map<string, number | string>();
  const raw: Record<string, string> = {};
  for (const line of rest) {
    if (line === "") continue;
    const i = line.indexOf(":");
    if (i <= 0) throw new VirshParseError(P, "expected 'Label: value'", line);
    const label = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    const spec = PRETTY[label];
    if (!spec) {
      raw[label] = value; // a label newer than this table: keep it, do not guess its unit
      continue;
    }
    raw[spec[0]] = value;
    values.set(spec[0], prettyValue(value, spec[1], line));
  }
  return buildJobInfo("pretty", type, values, raw, P);
}

function prettyValue(value: string, unit: Unit, line: string): number | string {
  const withSuffix = (suffix: string): number => {
    const m = new RegExp(`^(\\d+)\\s*${suffix}$`).exec(value);
    if (!m?.[1]) throw new VirshParseError(P, `expected '<n> ${suffix}'`, line);
    return parseUInt(m[1], P, line);
  };
  switch (unit) {
    case "ms":
      return withSuffix("ms");
    case "pages/s":
      return withSuffix("pages/s");
    case "bytes":
      return withSuffix("bytes");
    case "count":
      return withSuffix("%?"); // the throttle is printed without '%' in 9.0; accept either
    case "size":
      return parsePrettySize(value, P, line);
    case "rate":
      return parsePrettyRate(value, P, line);
    case "text":
      return value;
  }
}
