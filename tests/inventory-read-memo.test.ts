// A host read with the memo of its last read (lib/inventory/read-memo.ts), over real SSH against a
// simulated hypervisor: one exec when nothing changed, and every change still seen — a new CPU
// (capabilities), a changed, new or vanished domain — and a failing command reported as itself.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectInventory } from "@/lib/inventory/collect";
import { CAPS_MAX_AGE_MS, emptyMemo, type HostReadMemo } from "@/lib/inventory/read-memo";
import { SshError } from "@/lib/ssh/errors";
import { SshPool, type SshTarget } from "@/lib/ssh/pool";
import { type RunningFleet, startFleet } from "@/sim/fleet";
import { loadFleetFile } from "@/sim/fleet-file";
import type { SimHost } from "@/sim/model/host";

let fleet: RunningFleet;
let target: SshTarget;
let host: SimHost;
const pool = new SshPool();
const read = (memo: HostReadMemo) => collectInventory(pool, target, "qemu:///system", ["/mnt/shared/"], memo);
const execs = async (memo: HostReadMemo) => {
  const before = pool.stats().execs;
  const inv = await read(memo);
  return { inv, execs: pool.stats().execs - before };
};

beforeAll(async () => {
  const spec = loadFleetFile("sim/fleets/test-small.yaml");
  const template = spec.vms.find((v) => v.name === "vm-idle");
  if (!template) throw new Error("test-small.yaml has no vm-idle");
  spec.hosts = spec.hosts.slice(0, 1).map((h) => ({ ...h, name: "rm-hv1" }));
  spec.vms = Array.from({ length: 4 }, (_, i) => ({ ...template, name: `rm-vm-${i}`, host: "rm-hv1" }));
  fleet = await startFleet(spec, {
    keyDir: mkdtempSync(path.join(tmpdir(), "convoy-read-memo-")),
    basePort: 0,
    timeScale: 1,
    controlPort: null,
  });
  const h = fleet.hosts[0];
  const sim = fleet.state.host("rm-hv1");
  if (!h || !sim) throw new Error("no host");
  host = sim;
  target = {
    hostId: "rm-hv1",
    name: h.name,
    address: h.address,
    port: h.port,
    username: "root",
    privateKey: fleet.clientKey?.privateKey ?? "",
    pinnedFingerprint: h.fingerprint,
  };
}, 60_000);

afterAll(async () => {
  await pool.closeAll();
  await fleet?.stop();
});

describe("a host read with the memo of the last one", () => {
  it("takes one SSH exec when the host's domains are the same, with the same facts as a fresh read", async () => {
    const memo = emptyMemo();
    expect((await execs(memo)).execs).toBe(2); // first contact: the list, then its domains
    const again = await execs(memo);
    expect(again.execs).toBe(1); // was 2: host commands, then the domains
    expect(again.inv).toEqual(await read(emptyMemo()));
  });

  it("re-reads capabilities when the fingerprint changes, and at the latest after CAPS_MAX_AGE_MS", async () => {
    const memo = emptyMemo();
    expect((await read(memo)).facts.cpuModel).toBe("Skylake-Server-IBRS");
    const original = host.spec.cpuModel;
    try {
      // Same frequency, cores and memory: the fingerprint holds, so the model is re-read on age.
      host.spec.cpuModel = "Skylake-Server";
      expect((await read(memo)).facts.cpuModel).toBe("Skylake-Server-IBRS");
      if (memo.caps) memo.caps.readAt -= CAPS_MAX_AGE_MS;
      expect((await read(memo)).facts.cpuModel).toBe("Skylake-Server");
      // Another CPU with another frequency: nodeinfo (the fingerprint) changes, seen at once.
      host.spec.cpuModel = "Cascadelake-Server";
      expect((await read(memo)).facts.cpuModel).toBe("Cascadelake-Server");
    } finally {
      host.spec.cpuModel = original;
    }
  });

  it("sees a changed, a new and a vanished domain", async () => {
    const memo = emptyMemo();
    await read(memo);
    const d0 = host.domains.get("rm-vm-0");
    const d1 = host.domains.get("rm-vm-1");
    if (!d0 || !d1) throw new Error("no domains");
    const disks = d0.disks;
    try {
      d0.disks = [{ ...(disks[0] as (typeof disks)[number]), path: "/var/lib/libvirt/images/local.qcow2" }];
      host.domains.delete("rm-vm-1");
      host.domains.set("rm-vm-new", { ...d1, name: "rm-vm-new", uuid: "4d2f9c6e-1b7a-4e0f-9a51-3c8d2e7b6a10" });
      const { inv, execs: n } = await execs(memo);
      expect(n).toBe(2); // the new domain needs its own exec
      expect(inv.vms.map((v) => v.name).sort()).toEqual(["rm-vm-0", "rm-vm-2", "rm-vm-3", "rm-vm-new"]);
      expect(inv.vms.find((v) => v.name === "rm-vm-0")?.storage).toBe("local");
      expect(inv).toEqual(await read(emptyMemo()));
    } finally {
      d0.disks = disks;
      host.domains.delete("rm-vm-new");
      host.domains.set("rm-vm-1", d1);
    }
  });

  it("reports a failing command inside the combined exec as that command's failure", async () => {
    const memo = emptyMemo();
    await read(memo);
    await fleet.control.setFault("rm-hv1", "libvirtd-down");
    try {
      const e = await read(memo).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SshError);
      expect(e).toMatchObject({ kind: "exit", command: "virsh -c qemu:///system version" });
      expect((e as SshError).stderr).toMatch(/Failed to connect/);
    } finally {
      await fleet.control.setFault("rm-hv1", "libvirtd-down", false);
    }
  });
});
