import { describe, expect, it } from "vitest";
import { cheapestFill, type PackVm } from "./packing-bound";

const v = (id: string, ramBytes: number, bytes: number): PackVm => ({
  id,
  ramBytes,
  bytes,
  group: null,
  feasible: null,
});

describe("cheapestFill", () => {
  it("is the fractional least bytes carrying the RAM, with each group's required members", () => {
    const p = v("p", 10, 2);
    const q = v("q", 10, 8);
    const g1 = v("g1", 1, 3);
    const g2 = v("g2", 1, 6);
    // RAM 10 alone: p (2 bytes). With one of {g1, g2} required: g1 (3, RAM 1) + 9/10 of p (1.8) = 4.8,
    // below the integral 5 (p + g1) and above either constraint alone.
    expect(cheapestFill([p, q], 10, [])).toBeCloseTo(2, 9);
    expect(cheapestFill([p, q, g1, g2], 10, [{ members: [g1, g2], atLeast: 1 }])).toBeCloseTo(4.8, 9);
    expect(cheapestFill([p, q, g1, g2], 0, [{ members: [g1, g2], atLeast: 2 }])).toBeCloseTo(9, 9);
    expect(cheapestFill([p, q], 0, [])).toBe(0);
  });
});
