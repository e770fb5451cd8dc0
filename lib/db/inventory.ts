import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { diffVms } from "@/lib/inventory/diff";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

export type InventoryWrites = { vmRowsWritten: number };

/**
 * Stores what was just read from a host: the host row (its facts, lastSeenAt, and lastCheckedAt:
 * the read is over) and only the VM rows that changed — new domains inserted, changed ones updated
 * (their lastSeenAt is when the row last changed), vanished ones deleted. Most refreshes change no
 * VM; those cost one read and one update, with no transaction, so a worker's database pool keeps
 * up with thousands of hosts.
 */
export async function saveInventory(hostId: string, facts: HostFacts, vms: VmFacts[]): Promise<InventoryWrites> {
  const now = new Date();
  const host = {
    reachable: true,
    lastSeenAt: now,
    lastCheckedAt: now,
    lastError: null,
    lastErrorKind: null,
    libvirtVersion: facts.libvirtVersion,
    qemuVersion: facts.qemuVersion,
    cpuModel: facts.cpuModel,
    cpuVendor: facts.cpuVendor,
    cores: facts.cores,
    memoryTotalBytes: BigInt(facts.memoryTotalBytes),
    memoryFreeBytes: BigInt(facts.memoryFreeBytes),
  };
  // A host decommissioned while it was being read keeps no inventory.
  const live = { id: hostId, status: { not: "removed" as const } };
  const unchanged = diffVms(await storedVms(db, hostId), vms);
  if (!unchanged.create.length && !unchanged.update.length && !unchanged.remove.length) {
    await db.host.updateMany({ where: live, data: host });
    return { vmRowsWritten: 0 };
  }
  return db.$transaction(async (tx) => {
    const n = await tx.host.updateMany({ where: live, data: host });
    if (n.count === 0) return { vmRowsWritten: 0 };
    // Diffed again inside the transaction: the rows it writes are the ones it read.
    const diff = diffVms(await storedVms(tx, hostId), vms);
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

async function storedVms(q: Tx | typeof db, hostId: string) {
  const rows = await q.vm.findMany({
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
  return rows.map((v) => ({ ...v, memoryBytes: Number(v.memoryBytes), storage: v.storage as VmFacts["storage"] }));
}

/** The host could not be read: keep the last inventory, show why; the read is over (lastCheckedAt). */
export async function saveHostError(hostId: string, kind: string, message: string): Promise<void> {
  await db.host.updateMany({
    where: { id: hostId, status: { not: "removed" } },
    data: { reachable: false, lastError: message.slice(0, 2000), lastErrorKind: kind, lastCheckedAt: new Date() },
  });
}
