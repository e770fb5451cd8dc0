// A move that only splits a full ingress adds nothing now but holds a source slot (issue 17).
import { describe, expect, it } from "vitest";
import { baseInput, checkPlan, GiB, host, vm } from "@/tests/support/evacuation-kit";
import { planEvacuation } from "./evacuate";

const G = 1e9;
const clean = (id: string, bytes: number, memoryBytes: number) =>
  vm(id, "s", { transferBytes: bytes, memoryBytes, dirtyRateBps: 0, workingSetBytes: 0 });

describe("planEvacuation: bandwidth-adding moves first", () => {
  it("starts the VM an idle host can take before a second one onto a full ingress", () => {
    // x and y (16 GiB, 2 GB each) fit only on big (1 GB/s); z (4 GiB, 2 GB) also on small. Two
    // source slots: x and y sharing big left z waiting 4 s (6.05 s in all); x and z first, then y:
    // 4 s + 2 switchovers — the tight bound (big must take x and y: 4 GB at 1 GB/s).
    const hosts = [
      host("s", { state: "draining", nicBps: 4 * G }),
      host("big", { nicBps: G, memoryFreeBytes: 100 * GiB }),
      host("small", { nicBps: G, memoryFreeBytes: 4 * GiB }),
    ];
    const input = baseInput(
      hosts,
      [clean("x", 2 * G, 16 * GiB), clean("y", 2 * G, 16 * GiB), clean("z", 2 * G, 4 * GiB)],
      {
        fixedOverheadMs: 0,
      },
    );
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.find((m) => m.vmId === "z")).toMatchObject({ destHostId: "small", startMs: 0 });
    expect(plan.makespanMs).toBeLessThanOrEqual(4050 + 1);
    expect(plan.ratioToLowerBound).toBeLessThan(1.02);
  });
});
