import "server-only";
import { db } from "@/lib/db/client";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

/** Replaces a host's inventory with what was just read from it, in one transaction. */
export async function saveInventory(hostId: string, facts: HostFacts, vms: VmFacts[]): Promise<void> {
  const now = new Date();
  await db.$transaction(async (tx) => {
    await tx.host.update({
      where: { id: hostId },
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
    for (const vm of vms) {
      const data = {
        name: vm.name,
        state: vm.state,
        stateReason: vm.stateReason,
        vcpus: vm.vcpus,
        memoryBytes: BigInt(vm.memoryBytes),
        persistent: vm.persistent,
        disks: vm.disks,
        storage: vm.storage,
        lastSeenAt: now,
      };
      await tx.vm.upsert({
        where: { hostId_uuid: { hostId, uuid: vm.uuid } },
        create: { hostId, uuid: vm.uuid, ...data },
        update: data,
      });
    }
    await tx.vm.deleteMany({ where: { hostId, uuid: { notIn: vms.map((v) => v.uuid) } } });
  });
}

/** The host could not be read: keep the last inventory, show why. */
export async function saveHostError(hostId: string, kind: string, message: string): Promise<void> {
  await db.host.update({
    where: { id: hostId },
    data: { reachable: false, lastError: message.slice(0, 2000), lastErrorKind: kind },
  });
}
