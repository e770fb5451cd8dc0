// Replies of `virsh qemu-monitor-command DOM --hmp …`. HMP is text with CRLF line ends, and errors
// are ordinary output ("Error: There's a migration process in progress") with exit status 0
// (`qemu-monitor-command --hmp` exits 0 even when QEMU answers `Error: …`, and QMP errors exit 0 with an "error" object), so every reply goes through parseHmpReply first.
import { QmpError, VirshParseError } from "./errors";
import type { DirtyRateStats } from "./parse-domstats";
import {
  type MigrationInfo,
  MIGRATION_STATUSES,
  type MigrationRam,
  type MigrationStatus,
  megabitsToBytesPerSecond,
} from "./migration-info";
import { lines, parseUInt } from "./text";

export type HmpReply = { ok: true; text: string } | { ok: false; message: string };

const P = "parseHmp";

export function parseHmpReply(text: string): HmpReply {
  const ls = lines(text);
  const first = ls.find((l) => l !== "") ?? "";
  const err = /^Error: (.*)$/.exec(first);
  if (err) return { ok: false, message: err[1] ?? "" };
  if (/^unknown command: /.test(first)) return { ok: false, message: first };
  return { ok: true, text: ls.join("\n") };
}

/** The reply text; an HMP error becomes a QmpError with class "HmpError". */
export function hmpText(text: string): string {
  const r = parseHmpReply(text);
  if (!r.ok) throw new QmpError("HmpError", r.message);
  return r.text;
}

/** "key: value" lines (info migrate_parameters / migrate_capabilities). */
export function parseHmpKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(hmpText(text))) {
    if (line === "") continue;
    const i = line.indexOf(":");
    if (i <= 0) throw new VirshParseError(P, "expected 'key: value'", line);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** info migrate_capabilities → { "auto-converge": false, … }. */
export function parseHmpMigrateCapabilities(text: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(parseHmpKeyValues(text))) {
    if (v !== "on" && v !== "off") throw new VirshParseError(P, "expected on/off", `${k}: ${v}`);
    out[k] = v === "on";
  }
  return out;
}

/**
 * info migrate. Lines before "Migration status:" are global settings; without that line no
 * migration has run since QEMU started (status "none"). Sizes are KiB ("kbytes"), so bytes here are
 * exact to 1 KiB only; prefer QMP query-migrate.
 */
export function parseHmpInfoMigrate(text: string): MigrationInfo {
  const all = lines(hmpText(text));
  const start = all.findIndex((l) => l.startsWith("Migration status:"));
  if (start < 0) {
    if (!all.some((l) => l.startsWith("globals:"))) throw new VirshParseError(P, "not an 'info migrate' reply", text);
    return { status: "none" };
  }
  const kv = new Map<string, string>();
  for (const line of all.slice(start)) {
    const i = line.indexOf(":");
    if (i > 0) kv.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const status = kv.get("Migration status") as MigrationStatus;
  if (!MIGRATION_STATUSES.includes(status)) throw new VirshParseError(P, "unknown migration status", String(status));
  const unit = (key: string, suffix: string, mult = 1): number | undefined => {
    const v = kv.get(key);
    if (v === undefined) return undefined;
    const m = new RegExp(`^(\\d+)\\s*${suffix}$`).exec(v);
    if (!m?.[1]) throw new VirshParseError(P, `expected '<n> ${suffix}'`, `${key}: ${v}`);
    return parseUInt(m[1], P) * mult;
  };
  const tput = kv.get("throughput");
  const mbps = tput === undefined ? undefined : Number(/^(\d+(?:\.\d+)?) mbps$/.exec(tput)?.[1] ?? Number.NaN);
  if (mbps !== undefined && Number.isNaN(mbps)) throw new VirshParseError(P, "bad throughput", String(tput));
  const pageSize = unit("page size", "kbytes", 1024);
  const dirty = unit("dirty pages rate", "pages");
  const ram: MigrationRam = {
    transferredBytes: unit("transferred ram", "kbytes", 1024),
    remainingBytes: unit("remaining ram", "kbytes", 1024),
    totalBytes: unit("total ram", "kbytes", 1024),
    duplicatePages: unit("duplicate", "pages"),
    skippedPages: unit("skipped", "pages"),
    normalPages: unit("normal", "pages"),
    normalBytes: unit("normal bytes", "kbytes", 1024),
    dirtyPagesPerSecond: dirty,
    dirtyBytesPerSecond: dirty !== undefined && pageSize !== undefined ? dirty * pageSize : undefined,
    megabitsPerSecond: mbps,
    bytesPerSecond: mbps === undefined ? undefined : megabitsToBytesPerSecond(mbps),
    dirtySyncCount: unit("dirty sync count", ""),
    postcopyRequests: unit("postcopy request count", ""),
    pageSizeBytes: pageSize,
    multifdBytes: unit("multifd bytes", "kbytes", 1024),
    pagesPerSecond: unit("pages-per-second", ""),
    precopyBytes: unit("precopy ram", "kbytes", 1024),
    downtimeBytes: unit("downtime ram", "kbytes", 1024),
    postcopyBytes: unit("postcopy ram", "kbytes", 1024),
  };
  return {
    status,
    totalTimeMs: unit("total time", "ms"),
    expectedDowntimeMs: unit("expected downtime", "ms"),
    downtimeMs: unit("downtime", "ms"),
    setupTimeMs: unit("setup", "ms"),
    cpuThrottlePercent: unit("cpu throttle percentage", ""),
    errorDesc: kv.get("error description"),
    ram,
  };
}

/** info dirty_rate → same shape as domstats' dirtyrate.* ("Dirty rate: 268 (MB/s)" is MiB/s). */
export function parseHmpInfoDirtyRate(text: string): DirtyRateStats {
  const kv = parseHmpKeyValues(text);
  const status = kv.Status;
  if (status !== "unstarted" && status !== "measuring" && status !== "measured") {
    throw new VirshParseError(P, "unknown dirty rate status", String(status));
  }
  const num = (key: string, suffix: RegExp): number | null => {
    const v = kv[key];
    if (v === undefined || v === "(not ready)") return null;
    const m = new RegExp(`^(\\d+)\\s*${suffix.source}$`).exec(v);
    if (!m?.[1]) throw new VirshParseError(P, `bad ${key}`, v);
    return parseUInt(m[1], P);
  };
  const mib = num("Dirty rate", /\(MB\/s\)/);
  return {
    status,
    startTime: num("Start Time", /\(ms\)/) ?? 0,
    periodSeconds: num("Period", /\(sec\)/) ?? 0,
    mode: kv.Mode ?? null,
    mibPerSecond: mib,
    bytesPerSecond: mib === null ? null : mib * 1024 * 1024,
  };
}
