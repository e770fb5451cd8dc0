// QEMU's side of a migration, as QMP query-migrate / query-migrate-parameters and HMP
// `info migrate*` show it (QEMU 7.2; key order as in the captures, which is QEMU's QDict order).
import type { Domain } from "../model/domain";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import { QmpDouble, type QmpValue } from "./qmp-json";

const MiB = 1024 * 1024;
/** What libvirt writes as max-bandwidth for "unlimited" (INT64_MAX rounded down to whole MiB). */
const UNLIMITED_BYTES = 2 ** 63 - 2 ** 20; // 9223372036853727232, exact as a double
/** QEMU's own default max-bandwidth, which libvirt also restores after a job (after a job libvirt resets max-bandwidth to 134217728 B/s). */
const QEMU_DEFAULT_BW = 134217728;

export const CAPABILITY_ORDER = [
  "xbzrle",
  "rdma-pin-all",
  "auto-converge",
  "zero-blocks",
  "compress",
  "events",
  "postcopy-ram",
  "x-colo",
  "release-ram",
  "block",
  "return-path",
  "pause-before-switchover",
  "multifd",
  "dirty-bitmaps",
  "postcopy-blocktime",
  "late-block-activate",
  "x-ignore-shared",
  "validate-uuid",
  "background-snapshot",
  "zero-copy-send",
  "postcopy-preempt",
];

export function capabilityState(d: Domain, cap: string): boolean {
  return d.tunables.caps[cap] ?? cap === "events";
}

/** query-migrate's "return" for domain `d` on `host`. */
export function queryMigrate(fleet: FleetState, host: SimHost, d: Domain): Record<string, QmpValue> {
  const incoming = fleet.engine.incomingFor(host, d.name);
  if (incoming) return { status: incoming.state === "postcopy" ? "postcopy-active" : "active" };
  const job = fleet.engine.jobFor(host, d.name);
  if (!job) {
    const q = d.qemuMigration;
    if (q.status === "none") return {};
    return q.errorDesc ? { status: q.status, "error-desc": q.errorDesc } : { status: q.status };
  }
  const s = job.physics.jobStats();
  const v = (k: string) => s[k] ?? 0;
  const postcopyBytes =
    job.postcopyFromBytes === undefined ? 0 : Math.max(0, v("memory_processed") - job.postcopyFromBytes);
  const out: Record<string, QmpValue> = { "expected-downtime": v("downtime") };
  if (s.auto_converge_throttle) out["cpu-throttle-percentage"] = s.auto_converge_throttle;
  out.status = job.state === "postcopy" ? "postcopy-active" : "active";
  out["setup-time"] = v("setup_time");
  out["total-time"] = v("time_elapsed");
  out.ram = {
    total: v("memory_total"),
    "postcopy-requests": v("memory_postcopy_requests"),
    "dirty-sync-count": v("memory_iteration"),
    "multifd-bytes": 0,
    "pages-per-second": Math.round(v("memory_bps") / Math.max(1, v("memory_page_size"))),
    "downtime-bytes": 0,
    "page-size": v("memory_page_size"),
    remaining: v("memory_remaining"),
    "postcopy-bytes": postcopyBytes,
    mbps: new QmpDouble((v("memory_bps") * 8) / 1e6),
    transferred: v("memory_processed"),
    "dirty-sync-missed-zero-copy": 0,
    "precopy-bytes": v("memory_processed") - postcopyBytes,
    duplicate: v("memory_constant"),
    "dirty-pages-rate": v("memory_dirty_rate"),
    skipped: 0,
    "normal-bytes": v("memory_normal_bytes"),
    normal: v("memory_normal"),
  };
  return out;
}

function maxBandwidthBytes(fleet: FleetState, host: SimHost, d: Domain): number {
  if (!fleet.engine.jobFor(host, d.name)) return QEMU_DEFAULT_BW;
  return d.tunables.speedMiB >= 8796093022207 ? UNLIMITED_BYTES : d.tunables.speedMiB * MiB;
}

/** query-migrate-parameters' "return". */
export function migrateParameters(fleet: FleetState, host: SimHost, d: Domain): Record<string, QmpValue> {
  const t = d.tunables;
  return {
    "cpu-throttle-tailslow": false,
    "xbzrle-cache-size": 67108864,
    "cpu-throttle-initial": t.throttleInitial,
    "announce-max": 550,
    "decompress-threads": 2,
    "compress-threads": 8,
    "compress-level": 1,
    "multifd-channels": 2,
    "multifd-zstd-level": 1,
    "announce-initial": 50,
    "block-incremental": false,
    "compress-wait-thread": true,
    "downtime-limit": t.maxDowntimeMs,
    "tls-authz": "",
    "multifd-compression": "none",
    "announce-rounds": 5,
    "announce-step": 100,
    "tls-creds": "",
    "multifd-zlib-level": 1,
    "max-cpu-throttle": t.maxThrottle,
    "max-postcopy-bandwidth": t.postcopySpeedMiB * MiB,
    "tls-hostname": "",
    "throttle-trigger-threshold": t.triggerThreshold,
    "max-bandwidth": maxBandwidthBytes(fleet, host, d),
    "x-checkpoint-delay": 20000,
    "cpu-throttle-increment": t.throttleIncrement,
  };
}

/** HMP `info migrate`: the globals, then (if QEMU has a status) the running numbers. */
export function hmpInfoMigrate(fleet: FleetState, host: SimHost, d: Domain): string {
  let out =
    "globals:\nstore-global-state: on\nonly-migratable: off\nsend-configuration: on\nsend-section-footer: on\n" +
    "decompress-error-check: on\nclear-bitmap-shift: 18\n";
  const q = queryMigrate(fleet, host, d);
  if (q.status === undefined) return out;
  const err = typeof q["error-desc"] === "string" ? ` (${q["error-desc"]})` : "";
  out += `Migration status: ${q.status}${err}\n`;
  out += `total time: ${q["total-time"] ?? 0} ms\n`;
  if (q["expected-downtime"] !== undefined) out += `expected downtime: ${q["expected-downtime"]} ms\n`;
  if (q["setup-time"] !== undefined) out += `setup: ${q["setup-time"]} ms\n`;
  const r = q.ram as Record<string, number | QmpDouble> | undefined;
  if (r) {
    const n = (k: string) => (typeof r[k] === "number" ? (r[k] as number) : 0);
    const kb = (k: string) => Math.floor(n(k) / 1024);
    const mbps = r.mbps instanceof QmpDouble ? r.mbps.value : 0;
    out += `transferred ram: ${kb("transferred")} kbytes\nthroughput: ${mbps.toFixed(2)} mbps\n`;
    out += `remaining ram: ${kb("remaining")} kbytes\ntotal ram: ${kb("total")} kbytes\n`;
    out += `duplicate: ${n("duplicate")} pages\nskipped: 0 pages\nnormal: ${n("normal")} pages\n`;
    out += `normal bytes: ${kb("normal-bytes")} kbytes\ndirty sync count: ${n("dirty-sync-count")}\n`;
    out += `page size: ${kb("page-size")} kbytes\nmultifd bytes: 0 kbytes\npages-per-second: ${n("pages-per-second")}\n`;
    if (n("dirty-pages-rate")) out += `dirty pages rate: ${n("dirty-pages-rate")} pages\n`;
    if (n("postcopy-requests")) out += `postcopy request count: ${n("postcopy-requests")}\n`;
    if (n("precopy-bytes")) out += `precopy ram: ${kb("precopy-bytes")} kbytes\n`;
    if (n("postcopy-bytes")) out += `postcopy ram: ${kb("postcopy-bytes")} kbytes\n`;
  }
  if (typeof q["cpu-throttle-percentage"] === "number")
    out += `cpu throttle percentage: ${q["cpu-throttle-percentage"]}\n`;
  return out;
}

export function hmpInfoCapabilities(d: Domain): string {
  return CAPABILITY_ORDER.map((c) => `${c}: ${capabilityState(d, c) ? "on" : "off"}\n`).join("");
}

export function hmpInfoParameters(fleet: FleetState, host: SimHost, d: Domain): string {
  const p = migrateParameters(fleet, host, d);
  const t = d.tunables;
  return [
    "announce-initial: 50 ms",
    "announce-max: 550 ms",
    "announce-rounds: 5",
    "announce-step: 100 ms",
    "compress-level: 1",
    "compress-threads: 8",
    "compress-wait-thread: on",
    "decompress-threads: 2",
    `throttle-trigger-threshold: ${t.triggerThreshold}`,
    `cpu-throttle-initial: ${t.throttleInitial}`,
    `cpu-throttle-increment: ${t.throttleIncrement}`,
    "cpu-throttle-tailslow: off",
    `max-cpu-throttle: ${t.maxThrottle}`,
    "tls-creds: ''",
    "tls-hostname: ''",
    `max-bandwidth: ${BigInt(p["max-bandwidth"] as number).toString()} bytes/second`,
    `downtime-limit: ${t.maxDowntimeMs} ms`,
    "x-checkpoint-delay: 20000 ms",
    "block-incremental: off",
    "multifd-channels: 2",
    "multifd-compression: none",
    "xbzrle-cache-size: 67108864 bytes",
    `max-postcopy-bandwidth: ${t.postcopySpeedMiB * MiB}`,
    "tls-authz: ''",
  ]
    .map((l) => `${l}\n`)
    .join("");
}
