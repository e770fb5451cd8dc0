// Pre-checks before a live migration, as pure functions of what the inventory and a few live
// reads say. Each check passes or fails with a reason; failed "block" checks stop the start
// unless an admin overrides them.
import type { DiskFacts } from "@/lib/inventory/types";
import { cpuCompatible } from "@/lib/planner/cpu-compat";

export type PrecheckVm = {
  uuid: string;
  name: string;
  hostId: string;
  vcpus: number;
  memoryBytes: number;
  disks: DiskFacts[];
};
export type PrecheckHost = {
  id: string;
  name: string;
  status: string;
  libvirtVersion: string | null;
  cpuModel: string | null;
  cores: number | null;
  memoryFreeBytes: number | null;
};
export type DestLoad = {
  reachable: boolean;
  error?: string;
  reservedBytes: number;
  reservedVcpus: number;
  vcpusInUse: number;
};

export type Check = { id: string; label: string; ok: boolean; detail: string };
export type PrecheckResult = { ok: boolean; checks: Check[]; copyStorage: boolean; migrateDisks: string[] };

/** vCPUs a host may carry per physical core before we call it full (a common KVM overcommit). */
export const VCPU_OVERCOMMIT = 4;

export function runPrechecks(input: {
  vm: PrecheckVm;
  liveState: string | null;
  source: PrecheckHost;
  dest: PrecheckHost;
  load: DestLoad;
  alreadyMigrating: boolean;
}): PrecheckResult {
  const { vm, source, dest, load } = input;
  const free = (dest.memoryFreeBytes ?? 0) - load.reservedBytes;
  const vcpuRoom = (dest.cores ?? 0) * VCPU_OVERCOMMIT - load.vcpusInUse - load.reservedVcpus;
  const cpu = cpuCompatible(source.cpuModel, dest.cpuModel);
  const copied = vm.disks.filter((d) => d.device === "disk" && !d.readonly && !d.shared);
  const checks: Check[] = [
    {
      id: "running",
      label: "Domain running",
      ok: input.liveState === "running",
      detail: input.liveState ? `state: ${input.liveState}` : "could not read the domain state",
    },
    {
      id: "distinct",
      label: "Source ≠ destination",
      ok: source.id !== dest.id,
      detail: source.id === dest.id ? "the VM is already on this host" : `${source.name} → ${dest.name}`,
    },
    {
      id: "dest-available",
      label: "Destination reachable and in service",
      ok: load.reachable && dest.status === "active",
      detail: !load.reachable
        ? `unreachable: ${load.error ?? "no answer"}`
        : dest.status !== "active"
          ? `host is ${dest.status}`
          : "answers over SSH",
    },
    {
      id: "libvirt-version",
      label: "Destination libvirt not older",
      ok: compareVersions(dest.libvirtVersion, source.libvirtVersion) >= 0,
      detail: `${source.libvirtVersion ?? "?"} → ${dest.libvirtVersion ?? "?"}`,
    },
    {
      id: "memory",
      label: "Destination free RAM",
      ok: free >= vm.memoryBytes,
      detail: `${gib(free)} free after ${gib(load.reservedBytes)} reserved by migrations heading there; needs ${gib(vm.memoryBytes)}`,
    },
    {
      id: "vcpu-room",
      label: "Destination vCPU room",
      ok: vcpuRoom >= vm.vcpus,
      detail: `${vcpuRoom} vCPUs of room (${VCPU_OVERCOMMIT}:1 overcommit); needs ${vm.vcpus}`,
    },
    { id: "cpu-model", label: "Compatible CPU model", ok: cpu.ok, detail: cpu.reason },
    {
      id: "vcpus-cores",
      label: "vCPUs ≤ destination cores",
      ok: vm.vcpus <= (dest.cores ?? 0),
      detail: `${vm.vcpus} vCPUs, ${dest.cores ?? "?"} cores`,
    },
    {
      id: "storage",
      label: "Storage",
      ok: true,
      detail: copied.length
        ? `local disks ${copied.map((d) => d.target).join(", ")} will be copied (--copy-storage-all)`
        : "shared or read-only storage: nothing to copy",
    },
    {
      id: "not-migrating",
      label: "Not already migrating",
      ok: !input.alreadyMigrating,
      detail: input.alreadyMigrating ? "a migration of this VM is in flight" : "no migration in flight",
    },
  ];
  return {
    ok: checks.every((c) => c.ok),
    checks,
    copyStorage: copied.length > 0,
    migrateDisks: copied.map((d) => d.target),
  };
}

export function compareVersions(a: string | null, b: string | null): number {
  if (!a || !b) return a ? 1 : -1;
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
