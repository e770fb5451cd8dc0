// Inventory at scale: a refresh writes only the VM rows that changed. Real Postgres; the rows'
// xmin (the transaction that last wrote them) shows which rows a refresh really rewrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { saveInventory } from "@/lib/db/inventory";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";

const facts: HostFacts = { libvirtVersion: "9.0.0", qemuVersion: "7.2.0", cpuModel: "kvm64", cpuVendor: "Intel", cores: 32, memoryTotalBytes: 2 ** 37, memoryFreeBytes: 2 ** 36 };
const vm = (i: number, over: Partial<VmFacts> = {}): VmFacts => ({
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  name: `inv-writes-${i}`,
  state: "running",
  stateReason: "booted",
  vcpus: 2,
  memoryBytes: 2 ** 31,
  persistent: true,
  disks: [{ target: "vda", source: `/var/lib/libvirt/images/${i}.qcow2`, type: "file", device: "disk", readonly: false, shared: false }],
  storage: "local",
  ...over,
});

let hostId = "";
const xmins = async () =>
  Object.fromEntries(
    (await db.$queryRaw<{ uuid: string; x: string }[]>`SELECT uuid, xmin::text AS x FROM "Vm" WHERE "hostId" = ${hostId}`).map((r) => [r.uuid, r.x]),
  );

beforeAll(async () => {
  hostId = (await db.host.create({ data: { name: "inv-writes-hv", address: "127.0.0.1", port: 22, sshUser: "root", privateKeyEnc: "x", status: "active" } })).id;
});
afterAll(async () => {
  await db.host.delete({ where: { id: hostId } });
});

describe("saveInventory", () => {
  it("rewrites no VM row when nothing changed, and only the changed ones otherwise", async () => {
    const vms = Array.from({ length: 20 }, (_, i) => vm(i));
    expect((await saveInventory(hostId, facts, vms)).vmRowsWritten).toBe(20);
    const before = await xmins();

    expect((await saveInventory(hostId, facts, vms)).vmRowsWritten).toBe(0);
    expect(await xmins()).toEqual(before);

    const next = [...vms.slice(0, 18).map((v, i) => (i === 3 ? { ...v, state: "paused", stateReason: "migrating" } : v)), vm(99)];
    expect((await saveInventory(hostId, facts, next)).vmRowsWritten).toBe(4); // 1 changed, 1 new, 2 gone
    const after = await xmins();
    const rewritten = Object.keys(after).filter((u) => before[u] !== undefined && after[u] !== before[u]);
    expect(rewritten).toEqual([vm(3).uuid]);
    expect(Object.keys(after)).toHaveLength(19);
    expect(await db.vm.findUniqueOrThrow({ where: { hostId_uuid: { hostId, uuid: vm(3).uuid } } })).toMatchObject({ state: "paused", stateReason: "migrating" });
  });
});
