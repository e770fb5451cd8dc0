import { describe, expect, it } from "vitest";
import { serialOneAtATime } from "./baselines";
import { planEvacuation } from "./evacuate";
import { baseInput, GiB, host, randomFleet, vm } from "@/tests/support/evacuation-kit";
import { placeableBound } from "./placeable";

describe("placeableBound", () => {
  it("is never below what the planner or the serial baseline places", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const input = randomFleet(seed);
      const bound = placeableBound(input);
      expect(planEvacuation(input).moves.length, `seed ${seed}`).toBeLessThanOrEqual(bound);
      expect(serialOneAtATime(input).moves.length, `seed ${seed}`).toBeLessThanOrEqual(bound);
    }
  });

  it("is no count of a baseline: serial packing in input order leaves out a VM the planner places", () => {
    // Most-free-first puts the small VM on "a", after which the 8 GiB one fits nowhere; 8 → a and
    // 2 → b fits both, so the bound (each fits alone) is 2 and the planner reaches it.
    const hosts = [
      host("s", { state: "draining" }),
      host("a", { memoryFreeBytes: 9 * GiB }),
      host("b", { memoryFreeBytes: 3 * GiB }),
    ];
    const input = baseInput(hosts, [
      vm("small", "s", { memoryBytes: 2 * GiB }),
      vm("big", "s", { memoryBytes: 8 * GiB }),
    ]);
    expect(serialOneAtATime(input).moves).toHaveLength(1);
    expect(planEvacuation(input).moves).toHaveLength(2);
    expect(placeableBound(input)).toBe(2);
  });

  it("does not count a VM that fits nowhere even alone", () => {
    const hosts = [host("s", { state: "draining" }), host("a", { memoryFreeBytes: 6 * GiB })];
    const input = baseInput(hosts, [
      vm("fits", "s", { memoryBytes: 4 * GiB }),
      vm("huge", "s", { memoryBytes: 16 * GiB }),
    ]);
    expect(placeableBound(input)).toBe(1);
  });
});
