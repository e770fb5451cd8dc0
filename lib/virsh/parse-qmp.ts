// Replies of `virsh qemu-monitor-command DOM '<json>' --pretty`. QMP errors come back with exit 0
// as {"error": {"class", "desc"}}; parseQmpReply separates them, the typed parsers throw QmpError.
// Units trap (ground truth §3.5): query-migrate's `mbps` is megabits/s (10^6 bits), dirty-pages-rate
// is pages/s, query-dirty-rate's `dirty-rate` is MiB/s. Everything returned here is bytes, bytes/s, ms.
import { z } from "zod";
import { parseJsonLimited } from "@/lib/parse/safe-parse";
import { QmpError, VirshParseError } from "./errors";
import type { DirtyRateStats } from "./parse-domstats";
import {
  type MigrationInfo,
  MIGRATION_STATUSES,
  type MigrationStatus,
  megabitsToBytesPerSecond,
} from "./migration-info";

export type QmpReply =
  | { ok: true; value: unknown; id: string | null }
  | { ok: false; error: { class: string; desc: string }; id: string | null };

const P = "parseQmp";
const reply = z.union([
  z.object({ return: z.unknown(), id: z.string().optional() }),
  z.object({ error: z.object({ class: z.string(), desc: z.string() }), id: z.string().optional() }),
]);

export function parseQmpReply(text: string): QmpReply {
  let json: unknown;
  try {
    json = parseJsonLimited(text.trim(), "The QMP reply"); // a hostile hypervisor may nest without end
  } catch {
    throw new VirshParseError(P, "not JSON or nested too deeply", text);
  }
  const r = reply.safeParse(json);
  if (!r.success) throw new VirshParseError(P, "neither 'return' nor 'error'", text);
  const id = r.data.id ?? null;
  return "error" in r.data ? { ok: false, error: r.data.error, id } : { ok: true, value: r.data.return, id };
}

/** The `return` value; a QMP error becomes a QmpError. */
export function qmpReturn(text: string): unknown {
  const r = parseQmpReply(text);
  if (!r.ok) throw new QmpError(r.error.class, r.error.desc);
  return r.value;
}

function shaped<T>(schema: z.ZodType<T>, value: unknown, text: string, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new VirshParseError(P, `unexpected ${what}: ${r.error.issues[0]?.message ?? ""}`, text);
  return r.data;
}

const n = z.number().nonnegative().optional();
const int = z.number().int().nonnegative().optional();
const queryMigrate = z.object({
  status: z.string().optional(),
  "total-time": int,
  "expected-downtime": int,
  downtime: int,
  "setup-time": int,
  "cpu-throttle-percentage": int,
  "error-desc": z.string().optional(),
  "blocked-reasons": z.array(z.string()).optional(),
  ram: z
    .object({
      transferred: int,
      remaining: int,
      total: int,
      duplicate: int,
      skipped: int,
      normal: int,
      "normal-bytes": int,
      "dirty-pages-rate": int,
      mbps: n,
      "dirty-sync-count": int,
      "postcopy-requests": int,
      "page-size": int,
      "multifd-bytes": int,
      "pages-per-second": int,
      "precopy-bytes": int,
      "downtime-bytes": int,
      "postcopy-bytes": int,
    })
    .optional(),
});

/** query-migrate. `{}` (no migration since QEMU started) is status "none". */
export function parseQueryMigrate(text: string): MigrationInfo {
  const q = shaped(queryMigrate, qmpReturn(text), text, "query-migrate reply");
  const status = (q.status ?? "none") as MigrationStatus;
  if (!MIGRATION_STATUSES.includes(status)) throw new VirshParseError(P, "unknown migration status", String(q.status));
  const r = q.ram;
  const pageSize = r?.["page-size"];
  const dirty = r?.["dirty-pages-rate"];
  return {
    status,
    totalTimeMs: q["total-time"],
    expectedDowntimeMs: q["expected-downtime"],
    downtimeMs: q.downtime,
    setupTimeMs: q["setup-time"],
    cpuThrottlePercent: q["cpu-throttle-percentage"],
    errorDesc: q["error-desc"],
    blockedReasons: q["blocked-reasons"],
    ram: r && {
      transferredBytes: r.transferred,
      remainingBytes: r.remaining,
      totalBytes: r.total,
      duplicatePages: r.duplicate,
      skippedPages: r.skipped,
      normalPages: r.normal,
      normalBytes: r["normal-bytes"],
      dirtyPagesPerSecond: dirty,
      dirtyBytesPerSecond: dirty !== undefined && pageSize !== undefined ? dirty * pageSize : undefined,
      megabitsPerSecond: r.mbps,
      bytesPerSecond: r.mbps === undefined ? undefined : megabitsToBytesPerSecond(r.mbps),
      dirtySyncCount: r["dirty-sync-count"],
      postcopyRequests: r["postcopy-requests"],
      pageSizeBytes: pageSize,
      multifdBytes: r["multifd-bytes"],
      pagesPerSecond: r["pages-per-second"],
      precopyBytes: r["precopy-bytes"],
      downtimeBytes: r["downtime-bytes"],
      postcopyBytes: r["postcopy-bytes"],
    },
  };
}

export type MigrationParameters = {
  downtimeLimitMs?: number;
  /** QEMU's max-bandwidth is bytes/s (libvirt's MiB/s × 1048576). */
  maxBandwidthBytesPerSecond?: number;
  maxPostcopyBandwidthBytesPerSecond?: number;
  cpuThrottleInitial?: number;
  cpuThrottleIncrement?: number;
  cpuThrottleTailslow?: boolean;
  maxCpuThrottle?: number;
  throttleTriggerThreshold?: number;
  multifdChannels?: number;
  xbzrleCacheSizeBytes?: number;
  /** The whole `return` object as QEMU sent it. */
  raw: Record<string, unknown>;
};

const params = z.record(z.string(), z.unknown());

export function parseQueryMigrateParameters(text: string): MigrationParameters {
  const raw = shaped(params, qmpReturn(text), text, "query-migrate-parameters reply");
  const num = (k: string): number | undefined => {
    const v = raw[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new VirshParseError(P, `bad ${k}`, text);
    // libvirt writes "unlimited" bandwidth as 9223372036853727232 (INT64_MAX rounded to whole MiB):
    // beyond 2^53 the value is imprecise, so report it as unlimited.
    return Number.isSafeInteger(v) ? v : Number.POSITIVE_INFINITY;
  };
  const tailslow = raw["cpu-throttle-tailslow"];
  return {
    downtimeLimitMs: num("downtime-limit"),
    maxBandwidthBytesPerSecond: num("max-bandwidth"),
    maxPostcopyBandwidthBytesPerSecond: num("max-postcopy-bandwidth"),
    cpuThrottleInitial: num("cpu-throttle-initial"),
    cpuThrottleIncrement: num("cpu-throttle-increment"),
    cpuThrottleTailslow: typeof tailslow === "boolean" ? tailslow : undefined,
    maxCpuThrottle: num("max-cpu-throttle"),
    throttleTriggerThreshold: num("throttle-trigger-threshold"),
    multifdChannels: num("multifd-channels"),
    xbzrleCacheSizeBytes: num("xbzrle-cache-size"),
    raw,
  };
}

const dirtyRate = z.object({
  status: z.enum(["unstarted", "measuring", "measured"]),
  "dirty-rate": int,
  "start-time": int,
  "calc-time": int,
  "sample-pages": int,
  mode: z.string().optional(),
});

/** query-dirty-rate → same shape as domstats' dirtyrate.* (MiB/s and bytes/s). */
export function parseQueryDirtyRate(text: string): DirtyRateStats & { samplePages: number | null } {
  const q = shaped(dirtyRate, qmpReturn(text), text, "query-dirty-rate reply");
  const mib = q["dirty-rate"] ?? null;
  return {
    status: q.status,
    startTime: q["start-time"] ?? 0,
    periodSeconds: q["calc-time"] ?? 0,
    mode: q.mode ?? null,
    mibPerSecond: mib,
    bytesPerSecond: mib === null ? null : mib * 1024 * 1024,
    samplePages: q["sample-pages"] ?? null,
  };
}

/** Commands whose success is an empty `{}` return (calc-dirty-rate, migrate-set-parameters…). */
export function parseQmpEmptyReturn(text: string): void {
  const v = qmpReturn(text);
  if (typeof v !== "object" || v === null || Object.keys(v).length > 0) {
    throw new VirshParseError(P, "expected an empty return", text);
  }
}
