import "server-only";
import { destinationCandidates, getVmWithHost, hostCommitments } from "@/lib/db/prechecks";
import { getSshTarget } from "@/lib/db/hosts";
import { getActiveMigrationForVm } from "@/lib/db/migrations";
import { AppError } from "@/lib/errors";
import type { DiskFacts } from "@/lib/inventory/types";
import { type DestLoad, type PrecheckHost, type PrecheckResult, runPrechecks } from "@/lib/planner/prechecks";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { getSshPool } from "@/lib/ssh/pool";
import { domState, virshVersion } from "@/lib/virsh/commands";
import { parseDomState } from "@/lib/virsh/parse-domstate";

export type DestinationCheck = { hostId: string; hostName: string; freeAfterBytes: number; result: PrecheckResult };
export type PrecheckReport = {
  vm: { id: string; uuid: string; name: string; vcpus: number; memoryBytes: number; hostId: string; hostName: string };
  destinations: DestinationCheck[];
  /** The requested destination, or for "best" the passing host with the most free RAM after reservations. */
  chosen: DestinationCheck | null;
};

/** Reads what the checks need (DB + a few live SSH reads) and runs them for one or every destination. */
export async function precheck(vmId: string, destHostId: string | "best"): Promise<PrecheckReport> {
  const vm = await getVmWithHost(vmId);
  if (!vm) throw new AppError("NOT_FOUND", "No such VM (it may have moved: reload the fleet).");
  const candidates = await destinationCandidates(destHostId, vm.hostId);
  if (!candidates.length)
    throw new AppError(
      "NOT_FOUND",
      destHostId === "best" ? "No other host is in service." : "No such destination host.",
    );

  const [liveState, active] = await Promise.all([
    readState(vm.hostId, vm.host.libvirtUri, vm.name),
    getActiveMigrationForVm(vm.uuid),
  ]);
  const source = hostFacts(vm.host);
  const destinations = await Promise.all(
    candidates.map(async (h): Promise<DestinationCheck> => {
      const load = await loadOf(h.id, h.libvirtUri);
      const result = runPrechecks({
        vm: {
          uuid: vm.uuid,
          name: vm.name,
          hostId: vm.hostId,
          vcpus: vm.vcpus,
          memoryBytes: Number(vm.memoryBytes),
          disks: vm.disks as DiskFacts[],
        },
        liveState,
        source,
        dest: hostFacts(h),
        load,
        alreadyMigrating: !!active,
      });
      return {
        hostId: h.id,
        hostName: h.name,
        freeAfterBytes: Number(h.memoryFreeBytes ?? 0) - load.reservedBytes,
        result,
      };
    }),
  );
  destinations.sort((a, b) => Number(b.result.ok) - Number(a.result.ok) || b.freeAfterBytes - a.freeAfterBytes);
  const chosen = destHostId === "best" ? (destinations.find((d) => d.result.ok) ?? null) : (destinations[0] ?? null);
  return {
    vm: {
      id: vm.id,
      uuid: vm.uuid,
      name: vm.name,
      vcpus: vm.vcpus,
      memoryBytes: Number(vm.memoryBytes),
      hostId: vm.hostId,
      hostName: vm.host.name,
    },
    destinations,
    chosen,
  };
}

function hostFacts(h: {
  id: string;
  name: string;
  status: string;
  libvirtVersion: string | null;
  cpuModel: string | null;
  cores: number | null;
  memoryFreeBytes: bigint | null;
}): PrecheckHost {
  return {
    id: h.id,
    name: h.name,
    status: h.status,
    libvirtVersion: h.libvirtVersion,
    cpuModel: h.cpuModel,
    cores: h.cores,
    memoryFreeBytes: h.memoryFreeBytes === null ? null : Number(h.memoryFreeBytes),
  };
}

async function loadOf(hostId: string, uri: string): Promise<DestLoad> {
  const [commitments, reachable] = await Promise.all([hostCommitments(hostId), ping(hostId, uri)]);
  return { ...reachable, ...commitments };
}

async function ping(hostId: string, uri: string): Promise<{ reachable: boolean; error?: string }> {
  const target = await getSshTarget(hostId);
  if (!target) return { reachable: false, error: "host key not confirmed" };
  try {
    await getSshPool().exec(target, virshVersion(uri));
    return { reachable: true };
  } catch (e) {
    return { reachable: false, error: e instanceof SshError ? describeSshError(e) : String(e) };
  }
}

async function readState(hostId: string, uri: string, name: string): Promise<string | null> {
  const target = await getSshTarget(hostId);
  if (!target) return null;
  try {
    const r = await getSshPool().exec(target, domState(uri, name));
    return parseDomState(r.stdout).state;
  } catch {
    return null;
  }
}
