// A host read over real SSH against a simulated hypervisor: one exec for the host's own commands
// and one per ten domains (lib/virsh/batch.ts), with the same facts per-command reads would give.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectInventory } from "@/lib/inventory/collect";
import { SshPool, type SshTarget } from "@/lib/ssh/pool";
import { parseDomInfo } from "@/lib/virsh/parse-dominfo";
import { type RunningFleet, startFleet } from "@/sim/fleet";
import { loadFleetFile } from "@/sim/fleet-file";

const DOMAINS = 23;
let fleet: RunningFleet;
let target: SshTarget;
const pool = new SshPool();

beforeAll(async () => {
  const spec = loadFleetFile("sim/fleets/test-small.yaml");
  const template = spec.vms.find((v) => v.name === "vm-idle");
  if (!template) throw new Error("test-small.yaml has no vm-idle");
  spec.hosts = spec.hosts.slice(0, 1).map((h) => ({ ...h, name: "ic-hv1" }));
  spec.vms = Array.from({ length: DOMAINS }, (_, i) => ({ ...template, name: `ic-vm-${i}`, host: "ic-hv1" }));
  fleet = await startFleet(spec, {
    keyDir: mkdtempSync(path.join(tmpdir(), "convoy-inv-collect-")),
    basePort: 0,
    timeScale: 1,
    controlPort: null,
  });
  const h = fleet.hosts[0];
  if (!h) throw new Error("no host");
  target = {
    hostId: "ic-hv1",
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

describe("reading one hypervisor", () => {
  it("takes 1 + ⌈domains / 10⌉ SSH execs, and reads every domain as its own dominfo says", async () => {
    const before = pool.stats().execs;
    const inv = await collectInventory(pool, target, "qemu:///system", ["/mnt/shared/"]);
    expect(pool.stats().execs - before).toBe(1 + Math.ceil(DOMAINS / 10)); // was 5 + 3 per domain = 74
    expect(inv.vms.map((v) => v.name).sort()).toEqual(Array.from({ length: DOMAINS }, (_, i) => `ic-vm-${i}`).sort());
    const one = inv.vms.find((v) => v.name === "ic-vm-7");
    const info = parseDomInfo(
      (await pool.exec(target, ["virsh", "-c", "qemu:///system", "dominfo", "ic-vm-7"])).stdout,
    );
    expect(one).toMatchObject({ uuid: info.uuid, vcpus: info.vcpus, state: "running" });
    expect(inv.facts.cores).toBe(16);
  });
});
