import { describe, expect, it } from "vitest";
import { mostFreeRamAllAtOnce, serialOneAtATime } from "./baselines";
import { planEvacuation } from "./evacuate";
import { baseInput, checkPlan, GiB, host, NIC_25G, randomFleet, vm } from "@/tests/support/evacuation-kit";

describe("baseline (a): most reported free RAM, all at once", () => {
  it("starts everything at 0 on the host with the most reported free RAM, ignoring reservations and in-flight moves", () => {
    const hosts = [
      host("s", { state: "draining" }),
      host("big", { memoryFreeBytes: 20 * GiB }),
      host("small", { memoryFreeBytes: 19 * GiB }),
    ];
    const inflight = [{ sourceHostId: "x", destHostId: "big", memoryBytes: 10 * GiB, vcpus: 2, remainingMs: 60_000 }];
    const vms = Array.from({ length: 6 }, (_, i) => vm(`v${i}`, "s", { memoryBytes: 4 * GiB }));
    const input = baseInput(hosts, vms, { inflight });
    const a = mostFreeRamAllAtOnce(input);
    expect(a.moves.map((m) => [m.destHostId, m.startMs])).toEqual(vms.map(() => ["big", 0]));
    // 10 GiB free after the in-flight move, 24 GiB sent: it overloads; the planner does not.
    expect(checkPlan(input, a).some((x) => /big holds/.test(x))).toBe(true);
    expect(checkPlan(input, planEvacuation(input))).toEqual([]);
  });

  it("still applies the static pre-checks (CPU model, cores) and lists what it cannot place", () => {
    const hosts = [
      host("s", { state: "draining" }),
      host("amd", { cpuModel: "EPYC-Milan", memoryFreeBytes: 500 * GiB }),
      host("d"),
    ];
    const a = mostFreeRamAllAtOnce(baseInput(hosts, [vm("v", "s"), vm("w", "s", { vcpus: 64 })]));
    expect(a.moves.map((m) => m.destHostId)).toEqual(["d"]);
    expect(a.unplaced.map((u) => u.vmId)).toEqual(["w"]);
  });
});

describe("baseline (b): serial, one at a time", () => {
  it("never overlaps two moves, each starts when the previous ends, and capacity holds", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const input = { ...randomFleet(seed), inflight: [] };
      const b = serialOneAtATime(input);
      expect(checkPlan({ ...input, maxOutboundPerSource: 1, maxInboundPerDest: 1 }, b), `seed ${seed}`).toEqual([]);
      const ms = [...b.moves].sort((x, y) => x.order - y.order);
      for (let i = 1; i < ms.length; i++) expect(ms[i]?.startMs).toBeCloseTo(ms[i - 1]?.endMs ?? Number.NaN, 6);
    }
  });

  it("is never faster than the planner (beyond 1 %) when both move the same VMs", () => {
    let compared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const input = { ...randomFleet(seed), inflight: [] };
      const p = planEvacuation(input);
      const b = serialOneAtATime(input);
      const ids = (x: typeof p) =>
        x.moves
          .map((m) => m.vmId)
          .sort()
          .join();
      if (p.moves.length === 0 || ids(p) !== ids(b)) continue;
      compared++;
      expect(p.makespanMs, `seed ${seed}`).toBeLessThanOrEqual(b.makespanMs * 1.01);
    }
    expect(compared).toBeGreaterThan(15);
  });
});

describe("baseline (b) decides the mode per destination", () => {
  it("skips the most-free host whose link is too slow for a dirty VM and places it on the next with room", () => {
    // Without auto-converge a stress VM converges on 25 GbE, not on 10 GbE; the 10 GbE host has
    // the most free RAM. The baseline used to give up there and list a VM the planner places.
    const hosts = [
      host("s", { state: "draining", nicBps: NIC_25G }),
      host("slow", { memoryFreeBytes: 200 * GiB }),
      host("fast", { nicBps: NIC_25G, memoryFreeBytes: 40 * GiB }),
    ];
    const input = baseInput(hosts, [vm("hot", "s", { kind: "stress", memoryBytes: 8 * GiB })], {
      autoConvergeWhenNeeded: false,
    });
    expect(planEvacuation(input).moves.map((m) => m.destHostId)).toEqual(["fast"]);
    const b = serialOneAtATime(input);
    expect(b.unplaced).toEqual([]);
    expect(b.moves.map((m) => [m.destHostId, m.autoConverge])).toEqual([["fast", false]]);
  });
});
