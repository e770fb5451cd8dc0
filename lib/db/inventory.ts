import "server-only";
import { db } from "@/lib/db/client";
import { diffVms } from "@/lib/inventory/diff";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

export type InventoryWrites = { vmRowsWritten: number };

/**
 * Stores what was just read from a host, in one transaction: the host row (its facts and
 * lastSeenAt), and only the VM rows that changed — new domains inserted, changed ones updated
 * (their lastSeenAt is when the row last changed), vanished ones deleted.
 */
export async function saveInventory(hostId: string, facts: HostFacts, vms: VmFacts[]): Promise<InventoryWrites> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    // A host decommissioned while it was being read keeps no inventory.
    const n = await tx.host.updateMany({
      where: { id: hostId, status: { not: "removed" } },
      data: {
        reachable: true,
        lastSeenAt: now,
        lastError: null,
        lastErrorKind: null,
        libvirtVersion: facts.libvirtVersion,
        qemuVersion: facts.qemuVersion,
        cpuModel: facts.cpuModel,
        cpuVendor: facts.cpuVendor,
        cores: facts.cores,
        memoryTotalBytes: BigInt(facts.memoryTotalBytes),
        memoryFreeBytes: BigInt(facts.memoryFreeBytes),
      },
    });
    if (n.count === 0) return { vmRowsWritten: 0 };
    const stored = await tx.vm.findMany({
      where: { hostId },
      select: {
        uuid: true,
        name: true,
        state: true,
        stateReason: true,
        vcpus: true,
        memoryBytes: true,
        persistent: true,
        disks: true,
        storage: true,
      },
    });
    const diff = diffVms(
      stored.map((v) => ({ ...v, memoryBytes: Number(v.memoryBytes), storage: v.storage as VmFacts["storage"] })),
      vms,
    );
    const row = (vm: VmFacts) => ({
      name: vm.name,
      state: vm.state,
      stateReason: vm.stateReason,
      vcpus: vm.vcpus,
      memoryBytes: BigInt(vm.memoryBytes),
      persistent: vm.persistent,
      disks: vm.disks,
      storage: vm.storage,
      lastSeenAt: now,
    });
    if (diff.create.length)
      await tx.vm.createMany({
        data: diff.create.map((vm) => ({ hostId, uuid: vm.uuid, ...row(vm) })),
        skipDuplicates: true,
      });
    for (const vm of diff.update)
      await tx.vm.update({ where: { hostId_uuid: { hostId, uuid: vm.uuid } }, data: row(vm) });
    if (diff.remove.length) await tx.vm.deleteMany({ where: { hostId, uuid: { in: diff.remove } } });
    return { vmRowsWritten: diff.create.length + diff.update.length + diff.remove.length };
  });
}

/** The host could not be read: keep the last inventory, show why. */
export async function saveHostError(hostId: string, kind: string, message: string): Promise<void> {
  await db.host.updateMany({
    where: { id: hostId, status: { not: "removed" } },
    data: { reachable: false, lastError: message.slice(0, 2000), lastErrorKind: kind },
  });
}
