import { describe, expect, it } from "vitest";
import { measureDirtyRateMiBps } from "./dirty-rate";
import type { GuestWorkload } from "./types";

const MiB = 1024 * 1024;
// lab vm-heavy: 256 MiB hot set rewritten every ~40 ms in a 512 MiB guest; page-sampling read 240-268.
const heavy: GuestWorkload = {
  dirtyRateBps: 32_000 * MiB,
  workingSetBytes: 256 * MiB,
  zeroFraction: 0.5,
  cpuBound: true,
};

describe("measureDirtyRateMiBps (calc-dirty-rate, page-sampling)", () => {
  it("reads a hot set rewritten faster than the period as W / period, with sampling noise", () => {
    const reads = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => measureDirtyRateMiBps(heavy, 0, false, 1, seed, 512 * MiB));
    for (const r of reads) {
      expect(Number.isInteger(r)).toBe(true);
      expect(r).toBeGreaterThan(200);
      expect(r).toBeLessThanOrEqual(300);
    }
    expect(new Set(reads).size).toBeGreaterThan(1);
    expect(measureDirtyRateMiBps(heavy, 0, false, 4, 1, 512 * MiB)).toBeLessThan(80); // ≈ 256 / 4
  });

  it("reads a slow writer as its rate; throttling lowers it only for CPU-bound writers; 0 when paused", () => {
    const slow: GuestWorkload = { dirtyRateBps: 16 * MiB, workingSetBytes: 64 * MiB, zeroFraction: 0, cpuBound: true };
    const big = 64 * 1024 * MiB; // many samples → little noise
    expect(Math.abs(measureDirtyRateMiBps(slow, 0, false, 1, 3, big) - 16)).toBeLessThanOrEqual(2);
    expect(Math.abs(measureDirtyRateMiBps(slow, 50, false, 1, 3, big) - 8)).toBeLessThanOrEqual(2);
    expect(
      Math.abs(measureDirtyRateMiBps({ ...slow, cpuBound: false }, 50, false, 1, 3, big) - 16),
    ).toBeLessThanOrEqual(2);
    expect(measureDirtyRateMiBps(slow, 0, true, 1, 3, big)).toBe(0);
  });

  it("is deterministic per seed", () => {
    expect(measureDirtyRateMiBps(heavy, 0, false, 1, 77)).toBe(measureDirtyRateMiBps(heavy, 0, false, 1, 77));
  });
});
