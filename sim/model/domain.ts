// One libvirt domain as a simulated host's libvirtd sees it: definition, run state, the
// per-domain migration tunables libvirt caches, and the last completed job's statistics.
import type { ProfileName, VmSpec } from "../fleet-file";
import type { CpuModel } from "./cpu-models";
import { type DomainStatus, isActive } from "./domain-state";
import { stableUuid } from "./ids";

export interface DomainDisk {
  target: string;
  sizeBytes: number;
  path: string;
  shared: boolean;
  readonly: boolean;
}

/** What libvirt/QEMU remember per domain between (and during) migrations. */
export interface MigrationTunables {
  /** migrate-setmaxdowntime / QEMU downtime-limit, ms. */
  maxDowntimeMs: number;
  /** migrate-setspeed, MiB/s; libvirt's cached value (8796093022207 = unlimited). */
  speedMiB: number;
  /** migrate-setspeed --postcopy, MiB/s (0 = unlimited). */
  postcopySpeedMiB: number;
  throttleInitial: number;
  throttleIncrement: number;
  maxThrottle: number;
  triggerThreshold: number;
  /** QEMU capabilities set by hand (HMP/QMP); libvirt overwrites them when a migration starts. */
  caps: Record<string, boolean>;
}

export interface DirtyRateCalc {
  status: 0 | 1 | 2;
  /** Host monotonic seconds when the measurement started (QEMU's start-time). */
  startTime: number;
  periodS: number;
  mode: "page-sampling" | "dirty-bitmap" | "dirty-ring";
  /** Sim time at which the measurement is done. */
  endsAtSimMs: number;
  mbps?: number;
}

/** A finished job as `domjobinfo --completed` reports it. */
export interface CompletedJob {
  type: number;
  stats: Record<string, number | string>;
}

export interface Domain {
  name: string;
  uuid: string;
  vcpus: number;
  memoryKiB: number;
  cpuModel: CpuModel;
  profile: ProfileName;
  /** Set at run time through the control API; overrides the profile's dirty rate. */
  dirtyRateOverrideMiBps: number | undefined;
  disks: DomainDisk[];
  status: DomainStatus;
  /** libvirt domain id; null when inactive. */
  id: number | null;
  persistent: boolean;
  /** Accumulated guest CPU time up to `cpuSinceMs` (sim clock). */
  cpuTimeNs: number;
  cpuSinceMs: number;
  /** Sim time the current QEMU process started (guest clock origin for dirty-rate times). */
  bootedAtMs: number;
  tunables: MigrationTunables;
  completed: CompletedJob | undefined;
  /** QEMU's own view of the last migration, for query-migrate after the job ended. */
  qemuMigration: { status: "none" | "cancelled" | "failed" | "completed"; errorDesc?: string };
  dirtyCalc: DirtyRateCalc | undefined;
  taints: string[];
  monitorSeq: number;
  /** Armed by the control API: what the guest does once it lands (fault "guest-panic"/"guest-hang"). */
  guestFault: GuestFault | undefined;
  /** A hung guest: QEMU runs, its vCPUs use no time (domstate still says running). */
  frozen: boolean;
}

export type GuestFault = "panic" | "hang";

export const UNLIMITED_SPEED_MIB = 8796093022207;

export function defaultTunables(): MigrationTunables {
  return {
    maxDowntimeMs: 300,
    speedMiB: UNLIMITED_SPEED_MIB,
    postcopySpeedMiB: 0,
    throttleInitial: 20,
    throttleIncrement: 10,
    maxThrottle: 99,
    triggerThreshold: 50,
    caps: {},
  };
}

/** Fraction of its vCPUs a guest keeps busy (drives CPU time in dominfo/domstats). */
export const CPU_LOAD: Record<ProfileName, number> = { idle: 0.02, web: 0.3, database: 0.5, stress: 0.85 };

export function domainFromSpec(
  vm: VmSpec,
  opts: { seed: number; cpuModel: CpuModel; sharedPrefix: string; nowMs: number; id: number | null },
): Domain {
  const status: DomainStatus =
    vm.state === "running"
      ? { state: "running", reason: "booted" }
      : vm.state === "paused"
        ? { state: "paused", reason: "user" }
        : { state: "shut off", reason: "shutdown" };
  return {
    name: vm.name,
    uuid: stableUuid(opts.seed, "vm", vm.name),
    vcpus: vm.vcpus,
    memoryKiB: Math.round(vm.memoryMiB * 1024),
    cpuModel: opts.cpuModel,
    profile: vm.profile,
    dirtyRateOverrideMiBps: undefined,
    disks: vm.disks.map((d) => ({
      target: d.target,
      sizeBytes: Math.round(d.sizeGiB * 1024 ** 3),
      path:
        d.storage === "shared"
          ? `${opts.sharedPrefix}${vm.name}-${d.target}.qcow2`
          : `/var/lib/libvirt/images/${vm.name}-${d.target}.qcow2`,
      shared: d.storage === "shared",
      readonly: d.readonly,
    })),
    status,
    id: isActive(status) ? opts.id : null,
    persistent: true,
    cpuTimeNs: 0,
    cpuSinceMs: opts.nowMs,
    bootedAtMs: opts.nowMs,
    tunables: defaultTunables(),
    completed: undefined,
    qemuMigration: { status: "none" },
    dirtyCalc: undefined,
    taints: [],
    monitorSeq: 400,
    guestFault: undefined,
    frozen: false,
  };
}

/** Guest CPU time now, accruing only while the vCPUs run. */
export function cpuTimeNs(d: Domain, nowMs: number, throttlePercent = 0): number {
  if (d.status.state !== "running" || d.frozen) return d.cpuTimeNs;
  const load = CPU_LOAD[d.profile] * (1 - throttlePercent / 100);
  return d.cpuTimeNs + Math.max(0, nowMs - d.cpuSinceMs) * 1e6 * d.vcpus * load;
}

/** Change state, settling CPU time first so it stops/starts accruing at the right moment. */
export function setStatus(d: Domain, status: DomainStatus, nowMs: number): void {
  d.cpuTimeNs = cpuTimeNs(d, nowMs);
  d.cpuSinceMs = nowMs;
  d.status = status;
}

/** A fresh QEMU process for the domain (start or incoming migration). */
export function startProcess(d: Domain, id: number, nowMs: number): void {
  d.id = id;
  d.cpuTimeNs = 0;
  d.cpuSinceMs = nowMs;
  d.bootedAtMs = nowMs;
  d.tunables = defaultTunables();
  d.qemuMigration = { status: "none" };
  d.dirtyCalc = undefined;
  d.taints = [];
  d.monitorSeq = 400;
  d.frozen = false;
}
