import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { diffVms } from "@/lib/inventory/diff";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

export type InventoryWrites = { vmRowsWritten: number };

/**
 * Stores what was just read from a host: the host row (its facts, lastSeenAt, and lastCheckedAt:
 * the read is over) and only the VM rows that changed — new domains inserted, changed ones updated
 * (their lastSeenAt is when the row last changed), vanished ones deleted. Most refreshes change no
 * VM: those cost one SQL statement (saveIfUnchanged), with no transaction, so a worker keeps up
 * with thousands of hosts. A change is written in one transaction with the host row.
 */
export async function saveInventory(hostId: string, facts: HostFacts, vms: VmFacts[]): Promise<InventoryWrites> {
  const now = new Date();
  if (await saveIfUnchanged(hostId, facts, vms, now)) return { vmRowsWritten: 0 };
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
  return db.$transaction(async (tx) => {
    const n = await tx.host.updateMany({ where: live, data: host });
    if (n.count === 0) return { vmRowsWritten: 0 };
    // Diffed inside the transaction: the rows it writes are the ones it read.
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

/**
 * The unchanged refresh in one statement: the (not removed) host row is updated only if its VM
 * rows equal what was read, compared in SQL; false when it was not (a VM changed, or the host was
 * removed), and nothing was written. Raw SQL: Prisma's query compiler cost a worker more CPU per
 * refresh than reading the host over SSH. Never a fresh lastSeenAt beside stale VM rows. Its VM
 * comparison must cover the fields `sameVm` (lib/inventory/diff.ts) compares, and the host columns
 * those of the transaction's `host` below.
 */
async function saveIfUnchanged(hostId: string, f: HostFacts, vms: VmFacts[], now: Date): Promise<boolean> {
  // timestamp(3) columns hold UTC: the ISO string's "Z" is ignored by the cast, its digits are kept.
  const at = now.toISOString();
  const n = await db.$executeRaw`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(vms)}::jsonb) AS x(uuid text, name text, state text,
        "stateReason" text, vcpus int, "memoryBytes" bigint, persistent boolean, disks jsonb, storage text)),
    v AS (SELECT * FROM "Vm" WHERE "hostId" = ${hostId}),
    changed AS (
      SELECT 1 FROM v FULL JOIN r ON r.uuid = v.uuid
      WHERE v.uuid IS NULL OR r.uuid IS NULL
        OR (v.name, v.state, v."stateReason", v.vcpus, v."memoryBytes", v.persistent, v.disks, v.storage)
          IS DISTINCT FROM (r.name, r.state, r."stateReason", r.vcpus, r."memoryBytes", r.persistent, r.disks, r.storage))
    UPDATE "Host" SET reachable = true, "lastSeenAt" = ${at}::timestamp(3), "lastCheckedAt" = ${at}::timestamp(3),
      "lastError" = NULL, "lastErrorKind" = NULL, "libvirtVersion" = ${f.libvirtVersion},
      "qemuVersion" = ${f.qemuVersion}, "cpuModel" = ${f.cpuModel}, "cpuVendor" = ${f.cpuVendor}, cores = ${f.cores},
      "memoryTotalBytes" = ${BigInt(f.memoryTotalBytes)}, "memoryFreeBytes" = ${BigInt(f.memoryFreeBytes)}
    WHERE id = ${hostId} AND status <> 'removed' AND NOT EXISTS (SELECT 1 FROM changed)`;
  return n === 1;
}

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
  return rows.map((v) => ({ ...v, memoryBytes: Number(v.memoryBytes), storage: v.storage as VmFacts["storage"] }));
}

/** The host could not be read: keep the last inventory, show why; the read is over (lastCheckedAt). */
export async function saveHostError(hostId: string, kind: string, message: string): Promise<void> {
  await db.host.updateMany({
    where: { id: hostId, status: { not: "removed" } },
    data: { reachable: false, lastError: message.slice(0, 2000), lastErrorKind: kind, lastCheckedAt: new Date() },
  });
}
