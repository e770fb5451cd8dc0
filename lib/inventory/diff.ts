// Which VM rows an inventory refresh must write: a refresh of an unchanged host writes none of its
// VM rows (at 2,000 hosts every row rewrite every 10 s was most of Postgres's work). Pure.
import type { DiskFacts, VmFacts } from "@/lib/inventory/types";

/** A stored VM row as the diff needs it (memory as a number of bytes). */
export type StoredVm = Omit<VmFacts, "disks"> & { disks: unknown };

export type VmDiff = { create: VmFacts[]; update: VmFacts[]; remove: string[] };

export function diffVms(stored: readonly StoredVm[], read: readonly VmFacts[]): VmDiff {
  const byUuid = new Map(stored.map((v) => [v.uuid, v]));
  const seen = new Set(read.map((v) => v.uuid));
  const create: VmFacts[] = [];
  const update: VmFacts[] = [];
  for (const vm of read) {
    const old = byUuid.get(vm.uuid);
    if (!old) create.push(vm);
    else if (!sameVm(old, vm)) update.push(vm);
  }
  return { create, update, remove: stored.filter((v) => !seen.has(v.uuid)).map((v) => v.uuid) };
}

/** A field added here must be added to saveIfUnchanged's SQL comparison too (lib/db/inventory.ts). */
function sameVm(a: StoredVm, b: VmFacts): boolean {
  return (
    a.name === b.name &&
    a.state === b.state &&
    a.stateReason === b.stateReason &&
    a.vcpus === b.vcpus &&
    a.memoryBytes === b.memoryBytes &&
    a.persistent === b.persistent &&
    a.storage === b.storage &&
    diskKey(a.disks) === diskKey(b.disks)
  );
}

// Field by field: Postgres's jsonb stores object keys in its own order, so the stored JSON and the
// freshly read facts never compare equal as text.
function diskKey(disks: unknown): string {
  if (!Array.isArray(disks)) return "";
  return JSON.stringify(
    disks.map((d: Partial<DiskFacts>) => [d.target, d.source, d.type, d.device, d.readonly, d.shared]),
  );
}
