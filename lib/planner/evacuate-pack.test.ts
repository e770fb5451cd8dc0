import { describe, expect, it } from "vitest";
import { planContext } from "./evacuate-context";
import { packConstrainedFirst, packGreedy } from "./evacuate-pack";
import { baseInput, GiB, host, vm } from "@/tests/support/evacuation-kit";

describe("packConstrainedFirst", () => {
  it("places first the VM with the fewest hosts left", () => {
    // Input order and most-free-first put the small VM on a; then the big one fits nowhere.
    const hosts = [
      host("s", { state: "draining" }),
      host("a", { memoryFreeBytes: 9 * GiB }),
      host("b", { memoryFreeBytes: 3 * GiB }),
    ];
    const input = baseInput(hosts, [
      vm("small", "s", { memoryBytes: 2 * GiB }),
      vm("big", "s", { memoryBytes: 8 * GiB }),
    ]);
    expect([...packGreedy(input, planContext(input))]).toEqual([["small", "a"]]);
    expect(new Map(packConstrainedFirst(input, planContext(input)))).toEqual(
      new Map([
        ["big", "a"],
        ["small", "b"],
      ]),
    );
  });

  it("keeps anti-affinity: a group's second member goes where the first is not", () => {
    const hosts = [
      host("s", { state: "draining" }),
      host("a", { memoryFreeBytes: 20 * GiB }),
      host("b", { memoryFreeBytes: 5 * GiB }),
    ];
    const input = baseInput(hosts, [
      vm("x", "s", { memoryBytes: 8 * GiB, antiAffinityGroup: "g" }),
      vm("y", "s", { memoryBytes: 4 * GiB, antiAffinityGroup: "g" }),
    ]);
    expect(new Map(packConstrainedFirst(input, planContext(input)))).toEqual(
      new Map([
        ["x", "a"],
        ["y", "b"],
      ]),
    );
  });
});
