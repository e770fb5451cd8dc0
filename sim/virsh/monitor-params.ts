// Migration parameters and capabilities set through the QEMU monitor (QMP or HMP). Parameters
// apply mid-flight; capabilities are refused while a migration runs (QEMU: "There's a migration process in progress").
import type { Domain } from "../model/domain";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import { CAPABILITY_ORDER } from "./qmp-views";

const MiB = 1024 * 1024;
export const IN_PROGRESS = "There's a migration process in progress";

/** Known parameters that the sim accepts but that do not change the model. */
const IGNORED = new Set([
  "announce-initial",
  "announce-max",
  "announce-rounds",
  "announce-step",
  "compress-level",
  "compress-threads",
  "compress-wait-thread",
  "decompress-threads",
  "cpu-throttle-tailslow",
  "tls-creds",
  "tls-hostname",
  "tls-authz",
  "x-checkpoint-delay",
  "block-incremental",
  "multifd-channels",
  "multifd-compression",
  "multifd-zlib-level",
  "multifd-zstd-level",
  "xbzrle-cache-size",
  "avail-switchover-bandwidth",
]);

const RANGES: Record<string, [number, number, string]> = {
  "downtime-limit": [0, 2_000_000, "an integer in the range of 0 to 2000000 ms"],
  "cpu-throttle-initial": [1, 99, "an integer in the range of 1 to 99"],
  "cpu-throttle-increment": [1, 99, "an integer in the range of 1 to 99"],
  "max-cpu-throttle": [1, 99, "an integer in the range of 1 to 99"],
  "throttle-trigger-threshold": [1, 100, "an integer in the range of 1 to 100"],
  "max-bandwidth": [0, Number.MAX_SAFE_INTEGER, "an integer in the range of 0 to 18446744073709551615 bytes/second"],
  "max-postcopy-bandwidth": [
    0,
    Number.MAX_SAFE_INTEGER,
    "an integer in the range of 0 to 18446744073709551615 bytes/second",
  ],
};

/** Validate all, then apply all (QEMU's migrate_params_check before migrate_params_apply). */
export function setParameters(
  fleet: FleetState,
  host: SimHost,
  d: Domain,
  params: Record<string, unknown>,
): string | undefined {
  for (const [k, v] of Object.entries(params)) {
    if (IGNORED.has(k)) continue;
    const range = RANGES[k];
    if (!range) return `Parameter '${k}' is unexpected`;
    if (typeof v !== "number" || !Number.isInteger(v)) return `Invalid parameter type for '${k}', expected: integer`;
    if (v < range[0] || v > range[1]) return `Parameter '${k.replaceAll("-", "_")}' expects ${range[2]}`;
  }
  const job = fleet.engine.jobFor(host, d.name);
  const t = d.tunables;
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== "number") continue;
    switch (k) {
      case "downtime-limit":
        t.maxDowntimeMs = v;
        job?.physics.setDowntimeLimit(v);
        break;
      case "cpu-throttle-initial":
        t.throttleInitial = v;
        job?.physics.setThrottleParams({ initial: v });
        break;
      case "cpu-throttle-increment":
        t.throttleIncrement = v;
        job?.physics.setThrottleParams({ increment: v });
        break;
      case "max-cpu-throttle":
        t.maxThrottle = v;
        job?.physics.setThrottleParams({ max: v });
        break;
      case "throttle-trigger-threshold":
        t.triggerThreshold = v;
        break;
      case "max-bandwidth":
        // QEMU's own limit; libvirt's cached migrate-getspeed value does not follow it.
        job?.physics.setMaxBandwidth(v === 0 ? Number.POSITIVE_INFINITY : v);
        break;
      case "max-postcopy-bandwidth":
        t.postcopySpeedMiB = Math.floor(v / MiB);
        job?.physics.setPostcopyBandwidth(v === 0 ? Number.POSITIVE_INFINITY : v);
        break;
      default:
        break;
    }
  }
  return undefined;
}

export function setCapabilities(
  fleet: FleetState,
  host: SimHost,
  d: Domain,
  caps: { capability: string; state: boolean }[],
): string | undefined {
  if (fleet.engine.jobFor(host, d.name) || fleet.engine.incomingFor(host, d.name)) return IN_PROGRESS;
  for (const c of caps) {
    if (!CAPABILITY_ORDER.includes(c.capability))
      return `Parameter 'capability' does not accept value '${c.capability}'`;
  }
  for (const c of caps) d.tunables.caps[c.capability] = c.state;
  return undefined;
}
