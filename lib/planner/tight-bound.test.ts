// The tight bound on small fleets whose optimum is known by hand (issue 17). Round numbers: NICs
// of 1–4 GB/s, VMs sending 1–6 GB; a clean guest (no dirtying) takes bytes / rate plus the
// predictor's 25 ms switchover (SW), checked first so every figure below is hand arithmetic.
import { describe, expect, it } from "vitest";
import { planEvacuation } from "./evacuate";
import { MoveModel } from "./evacuate-model";
import { baseInput, checkPlan, GiB, host, randomFleet, tightFleet, vm } from "@/tests/support/evacuation-kit";
import { serialOneAtATime } from "./baselines";
import { evacuationLowerBound } from "./lower-bound";
import { slotBound } from "./slot-bound";
import { tightLowerBound } from "./tight-bound";

const G = 1e9;
const SW = 25;
const clean = (id: string, bytes: number, on = "s", extra = {}) =>
  vm(id, on, { transferBytes: bytes, memoryBytes: 8 * GiB, dirtyRateBps: 0, workingSetBytes: 0, ...extra });
const c3 = (input: ReturnType<typeof baseInput>) => evacuationLowerBound(input);

describe("tightLowerBound (issue 17)", () => {
  it("a clean guest alone takes bytes / rate + 25 ms (the arithmetic below relies on it)", () => {
    expect(new MoveModel(300).estimate(clean("x", 4 * G), G, "plain")?.ms).toBeCloseTo(4000 + SW, 6);
  });

  it("CPU-eligible destinations: two Icelake guests can only land on the one Icelake host", () => {
    // a takes both: 4 GB through its 1 GB/s ingress = 4 s (optimum: 4 s + the last switchover).
    // C.3 spreads them over all three ingresses: 4 GB / 3 GB/s.
    const hosts = [
      host("s", { state: "draining", cpuModel: "Icelake-Server", nicBps: 4 * G }),
      host("a", { cpuModel: "Icelake-Server", nicBps: G }),
      host("c1", { nicBps: G }),
      host("c2", { nicBps: G }),
    ];
    const input = baseInput(hosts, [clean("x", 2 * G), clean("y", 2 * G)], { fixedOverheadMs: 0 });
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(4000, 6);
    expect(t.binding?.kind).toBe("group-link");
    expect(t.binding?.why).toMatch(/ingress of the 1 host 2 VMs may go to/);
    expect(c3(input)).toBeCloseTo(4000 / 3, 6);
    const plan = planEvacuation(input);
    expect(plan.makespanMs).toBeGreaterThanOrEqual(4000);
    expect(plan.makespanMs).toBeLessThanOrEqual(4000 + 2 * SW + 1);
    expect(plan.lowerBoundMs).toBeCloseTo(4000, 6);
  });

  it("destination NICs: a 3 GB/s source draining into 1 GB/s hosts", () => {
    // One 6 GB guest: at most 1 GB/s whatever the destination → 6 s + SW + 1.5 s setup. C.3: its
    // largest-VM term used the source's 3 GB/s (2 s); the ingress of a + b gives 3 s, + 1.5 s.
    const hosts = [host("s", { state: "draining", nicBps: 3 * G }), host("a", { nicBps: G }), host("b", { nicBps: G })];
    const input = baseInput(hosts, [clean("x", 6 * G)]);
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(1500 + 6000 + SW, 6);
    expect(t.binding?.kind).toBe("vm");
    expect(t.binding?.why).toMatch(/^x alone takes 6\.0 s at its best rate \(1\.00 GB\/s/);
    expect(c3(input)).toBeCloseTo(1500 + 3000, 6);
    expect(planEvacuation(input).makespanMs).toBeCloseTo(t.lowerBoundMs, 0);
  });

  it("the guests' re-sends: a dirty guest alone is the optimum, and the bound is exactly it", () => {
    const hosts = [host("s", { state: "draining", nicBps: 1.175 * G }), host("a", { nicBps: 1.175 * G })];
    const input = baseInput(hosts, [vm("db", "s", { kind: "database", memoryBytes: 16 * GiB })]);
    const alone = new MoveModel(300).estimate(input.vms[0] as (typeof input.vms)[number], 1.175 * G, "plain");
    expect(alone).not.toBeNull();
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(1500 + (alone?.ms ?? 0), 6);
    expect(t.lowerBoundMs).toBeGreaterThan(c3(input) * 1.2);
    expect(planEvacuation(input).makespanMs).toBeCloseTo(t.lowerBoundMs, 0);
  });

  it("in-flight migrations hold slots: a destination busy for 9 s with one slot left binds", () => {
    // Only a is eligible (Icelake); it receives an in-flight move for 9 s and allows 1 inbound:
    // our 1 GB guest waits for the slot: 9 s + 1 s + SW. The bound: a's 1 slot holds 9 s + 1.025 s.
    const hosts = [
      host("s", { state: "draining", cpuModel: "Icelake-Server", nicBps: G }),
      host("a", { cpuModel: "Icelake-Server", nicBps: G }),
      host("o", { nicBps: G }),
      host("c", { nicBps: G }),
    ];
    const inflight = [{ sourceHostId: "o", destHostId: "a", memoryBytes: 4 * GiB, vcpus: 2, remainingMs: 9000 }];
    const input = baseInput(hosts, [clean("x", G)], { fixedOverheadMs: 0, inflight, maxInboundPerDest: 1 });
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(9000 + 1000 + SW, 6);
    expect(t.binding?.kind).toBe("group-slots");
    const plan = planEvacuation(input);
    expect(plan.makespanMs).toBeCloseTo(t.lowerBoundMs, 0);
  });

  it("RAM and anti-affinity decide the best link: a guest too big for the fast host, or whose group it holds", () => {
    // f (4 GB/s) has 5 GiB free or already holds the group: x (8 GiB RAM, 4 GB) can only take the
    // 1 GB/s host: 4 s + SW. The bound used to give it f's link (1 s).
    const src = host("s", { state: "draining", nicBps: 4 * G });
    for (const f of [
      host("f", { nicBps: 4 * G, memoryFreeBytes: 5 * GiB }),
      host("f", { nicBps: 4 * G, antiAffinityGroups: ["g"] }),
    ]) {
      const input = baseInput(
        [src, f, host("slow", { nicBps: G })],
        [clean("x", 4 * G, "s", { antiAffinityGroup: "g" })],
        { fixedOverheadMs: 0 },
      );
      const t = tightLowerBound(input);
      expect(t.lowerBoundMs).toBeCloseTo(4000 + SW, 6);
      expect(t.binding?.kind).toBe("vm");
      expect(planEvacuation(input).makespanMs).toBeCloseTo(t.lowerBoundMs, 0);
    }
  });

  it("anti-affinity: two guests of one group and one fast host, so one of them takes the slow link", () => {
    // x and y (4 GB each) may not share a host: one gets f (4 GB/s, 1 s), the other 1 GB/s (4 s).
    // The optimum starts both at once: 4 s + SW. The bound used to say 2 s (8 GB over the source).
    const hosts = [
      host("s", { state: "draining", nicBps: 8 * G }),
      host("f", { nicBps: 4 * G }),
      host("slow", { nicBps: G }),
    ];
    const input = baseInput(
      hosts,
      [clean("x", 4 * G, "s", { antiAffinityGroup: "g" }), clean("y", 4 * G, "s", { antiAffinityGroup: "g" })],
      { fixedOverheadMs: 0 },
    );
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(4000 + SW, 6);
    expect(t.binding?.kind).toBe("anti-affinity");
    expect(t.binding?.why).toMatch(/group 'g': its 2 VMs land on distinct hosts/);
    const plan = planEvacuation(input);
    expect(new Set(plan.moves.map((m) => m.destHostId))).toEqual(new Set(["f", "slow"]));
    expect(plan.makespanMs).toBeGreaterThanOrEqual(t.lowerBoundMs * (1 - 1e-9));
  });

  it("anti-affinity on one source: its slot carries the fast member and the slow one, one after the other", () => {
    // x and y (4 GB each, one group) from s (8 GB/s, 1 outbound slot): one takes f (4 GB/s, 1 s),
    // the other slow (1 GB/s, 4 s); the slot holds both in turn: 5 s + 2 SW. The bound used to
    // count each at its best host (slots: 2 s) and say 4 s (the slow member alone).
    const hosts = [
      host("s", { state: "draining", nicBps: 8 * G }),
      host("f", { nicBps: 4 * G }),
      host("slow", { nicBps: G }),
    ];
    const input = baseInput(
      hosts,
      [clean("x", 4 * G, "s", { antiAffinityGroup: "g" }), clean("y", 4 * G, "s", { antiAffinityGroup: "g" })],
      { fixedOverheadMs: 0, maxOutboundPerSource: 1 },
    );
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(5000 + 2 * SW, 6);
    expect(t.binding?.kind).toBe("source-slots");
    expect(planEvacuation(input).makespanMs).toBeCloseTo(t.lowerBoundMs, 0);
  });

  it("source flow: a setup holds a slot sending nothing, so one stream alone cannot fill the link", () => {
    // 3 × 6 GB from a 3 GB/s source, 2 slots, 2 GB/s per stream, 1.5 s setups. Over [1.5 s, T] the
    // slots have 2T − 3 × 1.5 s for transfers; n streams send at most min(3, 2n) GB/s, at best
    // spread evenly: (T − 1.5) + (2T − 4.5) = 3T − 6 GB ≥ 18 GB → T ≥ 8 s. The link alone: 7.5 s.
    const hosts = [
      host("s", { state: "draining", nicBps: 3 * G }),
      host("a", { nicBps: 4 * G }),
      host("b", { nicBps: 4 * G }),
    ];
    const input = baseInput(hosts, [clean("x", 6 * G), clean("y", 6 * G), clean("z", 6 * G)], {
      perStreamCapBps: 2 * G,
    });
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(8000, 3);
    expect(t.binding?.kind).toBe("source-flow");
    expect(planEvacuation(input).makespanMs).toBeGreaterThanOrEqual(t.lowerBoundMs);
  });

  it("RAM packing: what the small host cannot hold must come through the big one's NIC", () => {
    // 36 GiB of guests, small holds 4 GiB: ≥ 32 GiB lands on big, at least x and y (2 GB each, 16
    // GiB each; z carries 4 GiB for 2 GB): 4 GB through big's 1 GB/s = 4 s. Before: 3.04 s (slots).
    const hosts = [
      host("s", { state: "draining", nicBps: 4 * G }),
      host("big", { nicBps: G, memoryFreeBytes: 100 * GiB }),
      host("small", { nicBps: G, memoryFreeBytes: 4 * GiB }),
    ];
    const vms = [
      clean("x", 2 * G, "s", { memoryBytes: 16 * GiB }),
      clean("y", 2 * G, "s", { memoryBytes: 16 * GiB }),
      clean("z", 2 * G, "s", { memoryBytes: 4 * GiB }),
    ];
    const input = baseInput(hosts, vms, { fixedOverheadMs: 0 });
    const t = tightLowerBound(input);
    expect(t.lowerBoundMs).toBeCloseTo(4000, 6);
    expect(t.binding?.kind).toBe("dest-packing");
    expect(t.binding?.why).toMatch(/^RAM: big must take 4\.0 GB/);
    expect(planEvacuation(input).makespanMs).toBeGreaterThanOrEqual(t.lowerBoundMs);
  });

  it("slot time: in-flight migrations beyond the limit leave no slot until they end", () => {
    // Three in flight on a 2-slot host until 5 s, then 2 slots: 10 ms·slots more → 5 + 10 / 2.
    expect(slotBound(10, 2, [[5000, 5000, 5000]])).toBeCloseTo(5005, 9);
    // One until 4 s on a 2-slot host: 1 slot free meanwhile (4 s of slot time), then 2.
    expect(slotBound(6000, 2, [[4000]])).toBeCloseTo(5000, 9);
    expect(slotBound(6000, 2, [[], []])).toBeCloseTo(1500, 9);
  });

  it("is never above a plan (the planner's, serial one at a time) nor below C.3, on 220 random fleets", () => {
    const fleets = [
      ...Array.from({ length: 80 }, (_, i) => randomFleet(i + 1)),
      ...Array.from({ length: 100 }, (_, i) => tightFleet(i + 1)),
      // Issue 17: post-copy and suspend-at-end allowed (a post-copy move still sends all of RAM).
      ...Array.from({ length: 40 }, (_, i) => ({
        ...tightFleet(i + 101),
        strategies: { postCopy: true, suspendAtEnd: true },
      })),
    ];
    let compared = 0;
    let postCopy = 0;
    fleets.forEach((input, i) => {
      for (const plan of [planEvacuation(input), serialOneAtATime(input)]) {
        // A bound holds for plans that keep the rules: serial ignores the slots in-flight moves hold.
        if (plan.moves.length === 0 || !Number.isFinite(plan.makespanMs) || checkPlan(input, plan).length > 0) continue;
        compared++;
        postCopy += plan.moves.filter((m) => m.strategy === "post-copy").length;
        const moved = { ...input, vms: input.vms.filter((x) => plan.moves.some((m) => m.vmId === x.id)) };
        const t = tightLowerBound(moved);
        expect(plan.makespanMs, `fleet ${i}`).toBeGreaterThanOrEqual(t.lowerBoundMs * (1 - 1e-9));
        expect(t.lowerBoundMs, `fleet ${i}`).toBeGreaterThanOrEqual(c3(moved) * (1 - 1e-9));
      }
    });
    expect(compared).toBeGreaterThan(290);
    expect(postCopy).toBeGreaterThan(20);
  });

  it("the plan page's one line is the binding term's", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planEvacuation(randomFleet(seed));
      if (plan.moves.length === 0) continue;
      const moved = randomFleet(seed);
      moved.vms = moved.vms.filter((x) => plan.moves.some((m) => m.vmId === x.id));
      expect(plan.lowerBoundWhy).toBe(tightLowerBound(moved).binding?.why);
    }
  });
});
