import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import type { DiskFacts } from "@/lib/inventory/types";

export async function getVmDetail(id: string) {
  const vm = await db.vm.findUnique({
    where: { id },
    include: { host: { select: { id: true, name: true, nicBps: true, cpuModel: true } } },
  });
  if (!vm) return null;
  const active = await db.liveMigration.findFirst({
    where: { vmUuid: vm.uuid, state: { in: ACTIVE_STATES } },
    select: { id: true },
  });
  return {
    id: vm.id,
    uuid: vm.uuid,
    name: vm.name,
    state: vm.state,
    stateReason: vm.stateReason,
    vcpus: vm.vcpus,
    memoryBytes: Number(vm.memoryBytes),
    storage: vm.storage,
    disks: vm.disks as DiskFacts[],
    host: { id: vm.host.id, name: vm.host.name, nicBps: Number(vm.host.nicBps), cpuModel: vm.host.cpuModel },
    activeMigrationId: active?.id ?? null,
  };
}
export type VmDetail = NonNullable<Awaited<ReturnType<typeof getVmDetail>>>;

export async function listDestinationChoices(excludeHostId: string) {
  const hosts = await db.host.findMany({
    where: { id: { not: excludeHostId }, status: { in: ["active", "maintenance"] } },
    orderBy: { name: "asc" },
  });
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    status: h.status,
    nicBps: Number(h.nicBps),
    memoryFreeBytes: Number(h.memoryFreeBytes ?? 0),
    cpuModel: h.cpuModel,
  }));
}
export type DestinationChoice = Awaited<ReturnType<typeof listDestinationChoices>>[number];

/** Sets (target) or removes (null) a VM's service check; returns the previous one. */
export async function setServiceCheck(
  tx: Tx,
  vmUuid: string,
  check: { vmName: string; tcpHost: string; tcpPort: number; updatedById: string } | null,
): Promise<{ tcpHost: string; tcpPort: number } | null> {
  const before = await tx.vmServiceCheck.findUnique({ where: { vmUuid } });
  if (!check) await tx.vmServiceCheck.deleteMany({ where: { vmUuid } });
  else await tx.vmServiceCheck.upsert({ where: { vmUuid }, create: { vmUuid, ...check }, update: check });
  return before;
}
