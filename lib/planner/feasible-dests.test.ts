import { describe, expect, it } from "vitest";
import { bottleneckAssignment, minSumAssignment } from "./feasible-dests";

describe("bottleneckAssignment", () => {
  const m = (o: Record<string, number>) => new Map(Object.entries(o));
  it("gives each member its own host at the least worst cost", () => {
    expect(bottleneckAssignment([m({ a: 1, b: 5 }), m({ a: 1, b: 4 })])).toBe(4);
    // Crossing beats the greedy pick: x takes b so y can have a.
    expect(bottleneckAssignment([m({ a: 1, b: 2 }), m({ a: 3, c: 9 })])).toBe(3);
    expect(bottleneckAssignment([m({ a: 1 }), m({ a: 1 })])).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("minSumAssignment", () => {
  const m = (o: Record<string, number>) => new Map(Object.entries(o));
  it("gives each member its own host at the least total cost", () => {
    // Both prefer a: one of them takes b, the one for whom b costs less extra.
    expect(minSumAssignment([m({ a: 1, b: 5 }), m({ a: 1, b: 2 })])).toBe(3);
    expect(minSumAssignment([m({ a: 1, b: 2 }), m({ a: 3, c: 9 })])).toBe(5);
    expect(minSumAssignment([m({ a: 1 }), m({ a: 1 })])).toBe(Number.POSITIVE_INFINITY);
  });
});
