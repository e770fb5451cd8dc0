// Issue 17's summary fleets, in miniature: long moves start first, across sources and beside a
// running move when that beats waiting for it.
import { describe, expect, it } from "vitest";
import { planEvacuation } from "./evacuate";
import { baseInput, checkPlan, GiB, host, NIC_10G, NIC_25G, vm } from "@/tests/support/evacuation-kit";

describe("planEvacuation: longest moves first (issue 17)", () => {
  it("a source's hot VM that only fits one host gets it first, though another source's name sorts first", () => {
    // "a"'s 16 GiB database fits x or y; "b"'s 32 GiB one only x (y has 20 GiB). Sources used to
    // offer by name: a's took x (most free RAM) and b's waited for it, the two in series.
    const hosts = [
      host("a", { state: "draining" }),
      host("b", { state: "draining" }),
      host("x", { memoryFreeBytes: 100 * GiB }),
      host("y", { memoryFreeBytes: 20 * GiB }),
    ];
    const input = baseInput(hosts, [
      vm("a-db", "a", { kind: "database", memoryBytes: 16 * GiB }),
      vm("b-db", "b", { kind: "database", memoryBytes: 32 * GiB }),
    ]);
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.map((m) => [m.vmId, m.destHostId, m.startMs]).sort()).toEqual([
      ["a-db", "y", 0],
      ["b-db", "x", 0],
    ]);
  });

  it("an auto-converging VM shut out of the one fast host by anti-affinity starts beside its partner, not after it", () => {
    // Two hot guests of one group on a 25 GbE source; f (25 GbE) takes one, the other must take a
    // 10 GbE host. It used to wait for its partner (which must run alone at its best rate), then
    // run its long slow move: both in parallel end far sooner.
    const hosts = [
      host("s", { state: "draining", nicBps: NIC_25G }),
      host("f", { nicBps: NIC_25G, memoryFreeBytes: 40 * GiB }),
      host("slow1", { nicBps: NIC_10G }),
      host("slow2", { nicBps: NIC_10G }),
    ];
    const hot = (id: string) => vm(id, "s", { kind: "stress", memoryBytes: 16 * GiB, antiAffinityGroup: "pair" });
    const input = baseInput(hosts, [hot("p"), hot("q")], { perStreamCapBps: 2.5e9, fixedOverheadMs: 30 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.map((m) => m.startMs)).toEqual([0, 0]);
    expect(plan.moves.every((m) => m.autoConverge)).toBe(true);
    expect(plan.ratioToLowerBound).toBeLessThanOrEqual(1.05);
  });
});
