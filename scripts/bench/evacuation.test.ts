// The evacuation benchmark executes plans on the simulator's in-process engine: the reported
// pile-up must give 0 failures with Convoy's plan where the baseline fails half, and Convoy's plans
// must run as predicted, without a single overload.
import { describe, expect, it } from "vitest";
import { serialOneAtATime } from "@/lib/planner/baselines";
import { planEvacuation } from "@/lib/planner/evacuate";
import { placeableBound } from "@/lib/planner/placeable";
import { plannerInput, runEvacuationBench } from "./evacuation";
import { summaryFleets } from "./evacuation-summary";

describe("evacuation benchmark (executed on the simulator)", () => {
  it("runs all fleets: Convoy never overloads or fails a move, and measures close to its own prediction", async () => {
    const fleets = await runEvacuationBench();
    expect(fleets).toHaveLength(4);
    for (const f of fleets) {
      const convoy = f.rows[0];
      expect(convoy?.scheduler).toBe("Convoy planner");
      expect(convoy?.overload).toBe(0);
      expect(convoy?.noConverge).toBe(0);
      expect(convoy?.other).toBe(0);
      expect(convoy?.completed).toBe(f.plan.moves.length);
      expect(Math.abs((convoy?.makespanMs ?? 0) / (convoy?.plannedMs ?? 1) - 1)).toBeLessThan(0.05);
      expect((convoy?.makespanMs ?? 0) / f.lbMs).toBeGreaterThanOrEqual(1);
      // Never slower than a baseline that moved as much without failing anything.
      for (const r of f.rows.slice(1)) {
        if (r.completed >= (convoy?.completed ?? 0) && r.overload + r.noConverge + r.other === 0)
          expect(convoy?.makespanMs ?? 0).toBeLessThanOrEqual(r.makespanMs * 1.01);
      }
    }
    const multi = fleets.find((f) => f.title.startsWith("drain 4 of 50"));
    expect((multi?.rows[0]?.makespanMs ?? 0) / (multi?.lbMs ?? 1)).toBeLessThanOrEqual(1.15);
  });

  it("the reported pile-up: Convoy moves five and lists five, 0 failures; the baseline (a) fails half with an overload", async () => {
    const [pile] = await runEvacuationBench((t) => t.startsWith("reported pile-up"));
    expect(pile?.plan.moves).toHaveLength(5);
    expect(pile?.plan.unplaced).toHaveLength(5);
    expect(pile?.rows[0]).toMatchObject({ completed: 5, overload: 0, noConverge: 0, other: 0 });
    expect(pile?.rows[1]).toMatchObject({ completed: 5, overload: 5 });
    expect(pile?.rows[2]).toMatchObject({ completed: 5, overload: 0 });
  });
});

describe("issue 17's summary fleets (planning only)", () => {
  it("Convoy places every VM that fits alone (placeableBound) and never fewer than the serial baseline", () => {
    for (const b of summaryFleets()) {
      const input = plannerInput(b);
      const placed = planEvacuation(input).moves.length;
      expect(placed, b.title).toBe(placeableBound(input));
      expect(placed, b.title).toBeGreaterThanOrEqual(serialOneAtATime(input).moves.length);
    }
  });
});
