// Inventory at scale: a host being read is not claimed again; a refresh writes only the VM rows that changed. Real Postgres; the rows'
// xmin (the transaction that last wrote them) shows which rows a refresh really rewrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";
import { useIsolatedDatabase } from "./support/isolated-db";

// A database of its own: claiming hosts here must not take the hosts of other test files.
const dropDatabase = await useIsolatedDatabase("inventory_writes");
const { db } = await import("@/lib/db/client");
const { claimHostsForRefresh, finishHostRead } = await import("@/lib/db/hosts");
const { saveInventory } = await import("@/lib/db/inventory");

const facts: HostFacts = {
  libvirtVersion: "9.0.0",
  qemuVersion: "7.2.0",
  cpuModel: "kvm64",
  cpuVendor: "Intel",
  cores: 32,
  memoryTotalBytes: 2 ** 37,
  memoryFreeBytes: 2 ** 36,
};
const vm = (i: number, over: Partial<VmFacts> = {}): VmFacts => ({
  uuid: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  name: `inv-writes-${i}`,
  state: "running",
  stateReason: "booted",
  vcpus: 2,
  memoryBytes: 2 ** 31,
  persistent: true,
  disks: [
    {
      target: "vda",
      source: `/var/lib/libvirt/images/${i}.qcow2`,
      type: "file",
      device: "disk",
      readonly: false,
      shared: false,
    },
  ],
  storage: "local",
  ...over,
});

let hostId = "";
const xmins = async () =>
  Object.fromEntries(
    (
      await db.$queryRaw<
        { uuid: string; x: string }[]
      >`SELECT uuid, xmin::text AS x FROM "Vm" WHERE "hostId" = ${hostId}`
    ).map((r) => [r.uuid, r.x]),
  );

beforeAll(async () => {
  hostId = (
    await db.host.create({
      data: {
        name: "inv-writes-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
      },
    })
  ).id;
});
afterAll(async () => {
  await db.host.delete({ where: { id: hostId } });
  await db.$disconnect();
  await dropDatabase();
});

describe("saveInventory", () => {
  it("rewrites no VM row when nothing changed, and only the changed ones otherwise", async () => {
    const vms = Array.from({ length: 20 }, (_, i) => vm(i));
    expect((await saveInventory(hostId, facts, vms)).vmRowsWritten).toBe(20);
    const before = await xmins();

    expect((await saveInventory(hostId, facts, vms)).vmRowsWritten).toBe(0);
    expect(await xmins()).toEqual(before);

    const next = [
      ...vms.slice(0, 18).map((v, i) => (i === 3 ? { ...v, state: "paused", stateReason: "migrating" } : v)),
      vm(99),
    ];
    expect((await saveInventory(hostId, facts, next)).vmRowsWritten).toBe(4); // 1 changed, 1 new, 2 gone
    const after = await xmins();
    const rewritten = Object.keys(after).filter((u) => before[u] !== undefined && after[u] !== before[u]);
    expect(rewritten).toEqual([vm(3).uuid]);
    expect(Object.keys(after)).toHaveLength(19);
    expect(await db.vm.findUniqueOrThrow({ where: { hostId_uuid: { hostId, uuid: vm(3).uuid } } })).toMatchObject({
      state: "paused",
      stateReason: "migrating",
    });
  });
});

describe("saveInventory's one-statement unchanged path", () => {
  it("stores the host's facts as read (UTC times), and nothing for a host removed meanwhile", async () => {
    const h = await db.host.create({
      data: {
        name: "inv-facts-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
      },
    });
    try {
      const vms = [vm(700), vm(701)];
      await saveInventory(h.id, facts, vms);
      const before = Date.now();
      expect(
        (await saveInventory(h.id, { ...facts, memoryFreeBytes: 2 ** 35, cpuVendor: null }, vms)).vmRowsWritten,
      ).toBe(0);
      const row = await db.host.findUniqueOrThrow({ where: { id: h.id } });
      expect(row).toMatchObject({
        reachable: true,
        memoryFreeBytes: BigInt(2 ** 35),
        cpuVendor: null,
        lastError: null,
      });
      expect(Math.abs((row.lastSeenAt?.getTime() ?? 0) - before)).toBeLessThan(2_000);
      expect(row.lastCheckedAt).toEqual(row.lastSeenAt);

      await db.host.update({ where: { id: h.id }, data: { status: "removed" } });
      expect((await saveInventory(h.id, { ...facts, memoryFreeBytes: 1 }, [vm(702)])).vmRowsWritten).toBe(0);
      expect(await db.host.findUniqueOrThrow({ where: { id: h.id } })).toMatchObject({
        memoryFreeBytes: BigInt(2 ** 35),
      });
      expect(await db.vm.count({ where: { hostId: h.id } })).toBe(2);
    } finally {
      await db.host.delete({ where: { id: h.id } });
    }
  });
});

describe("saveInventory's comparison in SQL", () => {
  it("sees a change in any one field of a VM, and none in a null reason or reordered disk keys", async () => {
    const h = await db.host.create({
      data: {
        name: "inv-fields-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
      },
    });
    try {
      const base = vm(800, { stateReason: null });
      await saveInventory(h.id, facts, [base]);
      const disk = base.disks[0] as VmFacts["disks"][number];
      const reordered = Object.fromEntries(Object.entries(disk).reverse()) as typeof disk;
      expect((await saveInventory(h.id, facts, [{ ...base, disks: [reordered] }])).vmRowsWritten).toBe(0);
      const changes: Partial<VmFacts>[] = [
        { name: "renamed" },
        { state: "paused" },
        { stateReason: "user" },
        { vcpus: 4 },
        { memoryBytes: 2 ** 32 },
        { persistent: false },
        { disks: [{ ...disk, shared: true }] },
        { storage: "shared" },
      ];
      for (const change of changes) {
        expect((await saveInventory(h.id, facts, [{ ...base, ...change }])).vmRowsWritten).toBe(1);
        expect((await saveInventory(h.id, facts, [base])).vmRowsWritten).toBe(1);
      }
      expect((await saveInventory(h.id, facts, [base, vm(801)])).vmRowsWritten).toBe(1);
      expect((await saveInventory(h.id, facts, [vm(801)])).vmRowsWritten).toBe(1);
    } finally {
      await db.host.delete({ where: { id: h.id } });
    }
  });
});

describe("claimHostsForRefresh", () => {
  it("claims a host before its data is an interval old, so the poll and the read fit inside the interval", async () => {
    const h = await db.host.create({
      data: {
        name: "inv-due-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
        hostKeyFingerprint: "SHA256:x",
        lastCheckedAt: new Date(Date.now() - 9_500),
      },
    });
    try {
      expect((await claimHostsForRefresh(1000, 10_000)).map((c) => c.id)).toContain(h.id);
      await finishHostRead(h.id);
      expect((await claimHostsForRefresh(1000, 10_000)).map((c) => c.id)).not.toContain(h.id);
    } finally {
      await db.host.delete({ where: { id: h.id } });
    }
  });

  it("leaves a host to the worker that read it last, and takes it over once that worker is late", async () => {
    const h = await db.host.create({
      data: {
        name: "inv-affinity-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
        hostKeyFingerprint: "SHA256:x",
      },
    });
    const readAgo = (ms: number) =>
      db.host.update({ where: { id: h.id }, data: { lastCheckedAt: new Date(Date.now() - ms) } });
    const claims = async (worker: string) =>
      (await claimHostsForRefresh(1000, 10_000, worker)).some((c) => c.id === h.id);
    try {
      expect(await claims("worker-a")).toBe(true);
      await readAgo(9_200);
      expect(await claims("worker-b")).toBe(false);
      expect(await claims("worker-a")).toBe(true);
      await readAgo(9_800);
      expect(await claims("worker-b")).toBe(true);
    } finally {
      await db.host.delete({ where: { id: h.id } });
    }
  });

  it("never claims a host again while it is being read, however short the interval", async () => {
    const h = await db.host.create({
      data: {
        name: "inv-claim-hv",
        address: "127.0.0.1",
        port: 22,
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
        hostKeyFingerprint: "SHA256:x",
      },
    });
    try {
      const claimedNow = async () => (await claimHostsForRefresh(1000, 1)).some((c) => c.id === h.id);
      expect(await claimedNow()).toBe(true);
      await new Promise((r) => setTimeout(r, 50)); // many intervals later, the read still running
      expect(await claimedNow()).toBe(false);
      await finishHostRead(h.id);
      await new Promise((r) => setTimeout(r, 50));
      expect(await claimedNow()).toBe(true);
      // Storing what was read ends the read too (the worker then needs no finishHostRead round trip),
      // whether a VM changed or not.
      await new Promise((r) => setTimeout(r, 50));
      expect(await claimedNow()).toBe(false);
      await saveInventory(h.id, facts, []);
      await new Promise((r) => setTimeout(r, 50));
      expect(await claimedNow()).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      await saveInventory(h.id, facts, [vm(500)]);
      await new Promise((r) => setTimeout(r, 50));
      expect(await claimedNow()).toBe(true);
    } finally {
      await db.vm.deleteMany({ where: { hostId: h.id } });
      await db.host.delete({ where: { id: h.id } });
    }
  });
});
