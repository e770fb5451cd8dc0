import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { diffVms } from "@/lib/inventory/diff";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

export type InventoryWrites = { vmRowsWritten: number };

/**
 * Stores what was just read from a host: the host row (its facts, lastSeenAt, and lastCheckedAt:
 * the read is over) and only the VM rows that changed — new domains inserted, changed ones updated
 * (their lastSeenAt is when the row last changed), vanished ones deleted. Most refreshes change no
 * VM: those cost one SQL statement (the host's update, returning its stored VMs to diff against),
 * with no transaction, so a worker keeps up with thousands of hosts. A change is written in a
 * transaction that updates the host row again and diffs the VMs anew.
 */
export async function saveInventory(hostId: string, facts: HostFacts, vms: VmFacts[]): Promise<InventoryWrites> {
  const now = new Date();
  const stored = await updateHostReturningVms(hostId, facts, now);
  // No row: the host was decommissioned while it was being read, and keeps no inventory.
  if (stored === null) return { vmRowsWritten: 0 };
  const unchanged = diffVms(stored, vms);
  if (!unchanged.create.length && !unchanged.update.length && !unchanged.remove.length) return { vmRowsWritten: 0 };
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
  const live = { id: hostId, status: { not: "removed" as const } };
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

type VmRow = Omit<VmFacts, "memoryBytes"> & { memoryBytes: bigint };

/**
 * The unchanged refresh in one round trip: updates the (not removed) host row and returns its VM
 * rows as they were; null when no host row was updated. Raw SQL: Prisma's query compiler cost a
 * worker more CPU per refresh than reading the host over SSH.
 */
async function updateHostReturningVms(hostId: string, f: HostFacts, now: Date): Promise<VmFacts[] | null> {
  // timestamp(3) columns hold UTC: the ISO string's "Z" is ignored by the cast, its digits are kept.
  const at = now.toISOString();
  const rows = await db.$queryRaw<(Partial<VmRow> & { host: string })[]>`
    WITH h AS (
      UPDATE "Host" SET reachable = true, "lastSeenAt" = ${at}::timestamp(3), "lastCheckedAt" = ${at}::timestamp(3),
        "lastError" = NULL, "lastErrorKind" = NULL, "libvirtVersion" = ${f.libvirtVersion},
        "qemuVersion" = ${f.qemuVersion}, "cpuModel" = ${f.cpuModel}, "cpuVendor" = ${f.cpuVendor}, cores = ${f.cores},
        "memoryTotalBytes" = ${BigInt(f.memoryTotalBytes)}, "memoryFreeBytes" = ${BigInt(f.memoryFreeBytes)}
      WHERE id = ${hostId} AND status <> 'removed'
      RETURNING id)
    SELECT h.id AS host, v.uuid, v.name, v.state, v."stateReason", v.vcpus, v."memoryBytes", v.persistent, v.disks,
      v.storage
    FROM h LEFT JOIN "Vm" v ON v."hostId" = h.id`;
  if (rows.length === 0) return null;
  return rows.flatMap(({ host: _, ...v }) => (v.uuid ? [toFacts(v as VmRow)] : []));
}

const toFacts = (v: VmRow): VmFacts => ({
  ...v,
  memoryBytes: Number(v.memoryBytes),
  storage: v.storage as VmFacts["storage"],
});

async function storedVms(q: Tx, hostId: string) {
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
  return rows.map((v) =>
    toFacts({ ...v, disks: v.disks as VmFacts["disks"], storage: v.storage as VmFacts["storage"] }),
  );
}

/** The host could not be read: keep the last inventory, show why; the read is over (lastCheckedAt). */
export async function saveHostError(hostId: string, kind: string, message: string): Promise<void> {
  await db.host.updateMany({
    where: { id: hostId, status: { not: "removed" } },
    data: { reachable: false, lastError: message.slice(0, 2000), lastErrorKind: kind, lastCheckedAt: new Date() },
  });
}
