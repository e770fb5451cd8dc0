// The fastest host's RAM kept for the VMs that gain most there (issue 17, "hard VM at the head").
import { describe, expect, it } from "vitest";
import { baseInput, checkPlan, GiB, host, NIC_10G, NIC_25G, vm } from "@/tests/support/evacuation-kit";
import { planEvacuation } from "./evacuate";
import { planContext } from "./evacuate-context";
import { rationFastHosts } from "./evacuate-ration";

// One 25 GbE host with 24 GiB free, two 10 GbE hosts with plenty. Two hot guests of one group (one
// must take 10 GbE for ~27 s, holding one of the source's two slots), three 4 GiB guests with a
// 10 GiB local disk (≈ 4 s at 2.5 GB/s, 9 s at 10 GbE) and a 12 GiB web guest sending 2 GB.
const hosts = [
  host("s", { state: "draining", nicBps: NIC_25G }),
  host("fast", { nicBps: NIC_25G, memoryFreeBytes: 24 * GiB }),
  host("slow1", { nicBps: NIC_10G }),
  host("slow2", { nicBps: NIC_10G }),
];
const vms = [
  vm("hotA", "s", { kind: "stress", memoryBytes: 8 * GiB, antiAffinityGroup: "g" }),
  vm("hotB", "s", { kind: "stress", memoryBytes: 8 * GiB, antiAffinityGroup: "g" }),
  vm("roomy", "s", { kind: "web", memoryBytes: 12 * GiB }),
  ...["disk1", "disk2", "disk3"].map((id) =>
    vm(id, "s", { kind: "idle", memoryBytes: 4 * GiB, copyStorageBytes: 10 * GiB }),
  ),
];
const input = baseInput(hosts, vms, { perStreamCapBps: 2.5e9, fixedOverheadMs: 300 });

describe("rationing the fastest hosts' RAM", () => {
  it("keeps the fast host for the disks, not for a roomy guest that gains 0.1 s per GiB there", () => {
    // Before: roomy rode along as a filler onto the fast host (12 GiB for ~1 s saved), and two
    // disks then crossed 10 GbE: 37.1 s. Now roomy takes a slow host and the disks the fast one.
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(6);
    const dest = new Map(plan.moves.map((m) => [m.vmId, m.destHostId]));
    expect(dest.get("roomy")).not.toBe("fast");
    expect(["disk1", "disk2", "disk3"].map((id) => dest.get(id))).toEqual(["fast", "fast", "fast"]);
    expect(plan.makespanMs).toBeLessThan(33_000);
  });

  it("rations only when the fastest hosts cannot hold every VM that gains from them", () => {
    const offFast = rationFastHosts(input, planContext(input));
    // hotB: its group already has a member on the one fast host (one per host).
    expect([...(offFast?.keys() ?? [])].sort()).toEqual(["hotB", "roomy"]);
    expect(offFast?.get("roomy")?.map((h) => h.id)).toEqual(["slow1", "slow2"]);
    const roomier = {
      ...input,
      hosts: input.hosts.map((h) => (h.id === "fast" ? { ...h, memoryFreeBytes: 64 * GiB } : h)),
    };
    expect(rationFastHosts(roomier, planContext(roomier))).toBeNull();
  });
});
