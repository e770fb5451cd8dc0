import { describe, expect, it } from "vitest";
import { readDirtyWindows } from "./dirty-sampling";

const GiB = 1024 ** 3;
// What page sampling reports for a guest dirtying D bytes/s over a hot set of W bytes.
const sample = (D: number, W: number, t: number) => ({ seconds: t, bytesPerSecond: Math.min(D * t, W) / t });

describe("readDirtyWindows", () => {
  it("finds the hot set of the reported case (2 GiB rewritten at 2.5 GiB/s)", () => {
    const r = readDirtyWindows(sample(2.5 * GiB, 2 * GiB, 1), sample(2.5 * GiB, 2 * GiB, 2));
    expect(r.workingSetBytes).toBe(2 * GiB);
    expect(r.dirtyRateBps).toBe(2 * GiB); // a lower bound: the 1 s window already saturates
  });
  it("reports no hot set for a guest spreading its writes over all of memory", () => {
    const r = readDirtyWindows(sample(300 * 2 ** 20, 64 * GiB, 1), sample(300 * 2 ** 20, 64 * GiB, 2));
    expect(r).toEqual({ dirtyRateBps: 300 * 2 ** 20, workingSetBytes: null });
  });
  it("handles an idle guest", () => {
    expect(readDirtyWindows({ seconds: 1, bytesPerSecond: 0 }, { seconds: 2, bytesPerSecond: 0 })).toEqual({ dirtyRateBps: 0, workingSetBytes: null });
  });
});
