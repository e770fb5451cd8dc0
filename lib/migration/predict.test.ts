import { describe, expect, it } from "vitest";
import { defaultTimeBudgetMs, predictedThrottle, predictPrecopy, whatWouldConverge } from "./predict";
import { GIB, MIB, QEMU_AUTO_CONVERGE } from "./types";

// A.2's planning table assumes ≈ 1.1 GiB/s usable on 10GbE and ≈ 2.8 GiB/s on 25GbE, T = 300 ms, W = M.
const TEN_G = 1.1 * GIB;
const TWENTY_FIVE_G = 2.8 * GIB;

describe("predictPrecopy against the A.2 table", () => {
  const rows = [
    // link, M GiB, D MiB/s, rounds, T_mig s, GiB sent, downtime ms
    [TEN_G, 8, 0, 1, 7.3, 8.0, 0],
    [TEN_G, 8, 500, 4, 12.9, 14.1, 282],
    [TEN_G, 8, 1000, 27, 62.5, 68.7, 292],
    [TEN_G, 64, 500, 7, 104.5, 114.9, 198],
    [TEN_G, 64, 1000, 45, 516, 568, 275],
    [TWENTY_FIVE_G, 8, 2000, 7, 8.9, 25.0, 230],
    [TWENTY_FIVE_G, 64, 2000, 13, 75.1, 210, 212],
  ] as const;
  it.each(rows)("B=%d M=%d GiB D=%d MiB/s", (B, M, D, rounds, seconds, sentGiB, downtime) => {
    const p = predictPrecopy({ memoryBytes: M * GIB, dirtyRateBps: D * MIB, bandwidthBps: B, maxDowntimeMs: 300 });
    expect(p.converges).toBe(true);
    expect(p.passes).toBe(rounds);
    expect(p.totalTimeMs! / 1000).toBeCloseTo(seconds, 0);
    expect(Math.abs(p.totalTimeMs! / 1000 - seconds) / seconds).toBeLessThan(0.02);
    expect(Math.abs(p.bytesSent! / GIB - sentGiB) / sentGiB).toBeLessThan(0.02);
    expect(Math.abs(p.downtimeMs! - downtime)).toBeLessThan(3);
  });

  it("says no for 8 GiB at 2000 MiB/s on 10GbE (λ > 1, W > B·T)", () => {
    const p = predictPrecopy({ memoryBytes: 8 * GIB, dirtyRateBps: 2000 * MIB, bandwidthBps: TEN_G, maxDowntimeMs: 300 });
    expect(p).toMatchObject({ converges: false, totalTimeMs: null, downtimeMs: null, bytesSent: null });
    expect(p.lambda).toBeCloseTo(1.78, 2);
    expect(p.reason).toMatch(/never converges/);
  });
});

describe("predictPrecopy against the closed forms", () => {
  // n = ⌈ln(B·T/M)/ln λ⌉, T_mig = (M/B)(1 − λ^(n+1))/(1 − λ) — while the W cap is not hit.
  const cases = [
    { M: 4 * GIB, B: 1 * GIB, l: 0.3, T: 0.3 },
    { M: 16 * GIB, B: 1.1 * GIB, l: 0.7, T: 0.5 },
    { M: 2 * GIB, B: 0.5 * GIB, l: 0.55, T: 0.1 },
    { M: 32 * GIB, B: 2.8 * GIB, l: 0.93, T: 0.3 },
  ];
  it.each(cases)("M=$M λ=$l", ({ M, B, l, T }) => {
    const p = predictPrecopy({ memoryBytes: M, dirtyRateBps: l * B, bandwidthBps: B, maxDowntimeMs: T * 1000, setupMs: 40 });
    const n = Math.ceil(Math.log((B * T) / M) / Math.log(l));
    const total = (M / B) * ((1 - l ** (n + 1)) / (1 - l));
    expect(p.passes).toBe(n);
    expect(p.totalTimeMs!).toBeCloseTo(total * 1000 + 40, 3);
    expect(p.bytesSent!).toBeCloseTo((M * (1 - l ** (n + 1))) / (1 - l), -3);
    expect(p.downtimeMs!).toBeLessThan(T * 1000);
  });

  it("converges with λ ≥ 1 when the hot set fits the downtime budget (W ≤ B·T)", () => {
    const p = predictPrecopy({ memoryBytes: 8 * GIB, workingSetBytes: 200 * MIB, dirtyRateBps: 3 * GIB, bandwidthBps: TEN_G, maxDowntimeMs: 300 });
    expect(p.converges).toBe(true);
    expect(p.passes).toBe(1);
    expect(p.downtimeMs!).toBeCloseTo(((200 * MIB) / TEN_G) * 1000, 3);
  });

  it("does not converge with λ ≥ 1 when it does not (W > B·T)", () => {
    const p = predictPrecopy({ memoryBytes: 512 * MIB, workingSetBytes: 256 * MIB, dirtyRateBps: 260e6, bandwidthBps: 32 * MIB, maxDowntimeMs: 300 });
    expect(p.converges).toBe(false);
    expect(p.reason).toMatch(/256 MiB/);
  });

  it("gives up past 10,000 passes (λ → 1)", () => {
    const p = predictPrecopy({ memoryBytes: 8 * GIB, dirtyRateBps: 0.99995 * TEN_G, bandwidthBps: TEN_G, maxDowntimeMs: 300 });
    expect(p.converges).toBe(false);
    expect(p.reason).toMatch(/10000 passes or 24 h/);
  });

  it("switches over at once when everything fits the budget", () => {
    const p = predictPrecopy({ memoryBytes: 100 * MIB, dirtyRateBps: 5 * GIB, bandwidthBps: TEN_G, maxDowntimeMs: 300 });
    expect(p).toMatchObject({ converges: true, passes: 0 });
  });

  it("rejects nonsense", () => {
    expect(() => predictPrecopy({ memoryBytes: 0, dirtyRateBps: 0, bandwidthBps: 1, maxDowntimeMs: 300 })).toThrow(RangeError);
    expect(() => predictPrecopy({ memoryBytes: 1, dirtyRateBps: 0, bandwidthBps: 0, maxDowntimeMs: 300 })).toThrow(RangeError);
    expect(() => predictPrecopy({ memoryBytes: 1, dirtyRateBps: -1, bandwidthBps: 1, maxDowntimeMs: 300 })).toThrow(RangeError);
  });
});

describe("auto-converge", () => {
  it.each([
    [2000, 80],
    [3000, 90],
  ])("D = %d MiB/s on 10GbE settles within one increment of p* (A.4: %d %%)", (D, expected) => {
    const p = predictPrecopy({ memoryBytes: 8 * GIB, dirtyRateBps: D * MIB, bandwidthBps: TEN_G, maxDowntimeMs: 300, autoConverge: QEMU_AUTO_CONVERGE });
    const pStar = predictedThrottle(D * MIB, TEN_G) * 100;
    expect(p.converges).toBe(true);
    expect(p.finalThrottlePct).toBe(expected);
    expect(Math.abs(p.finalThrottlePct! - pStar)).toBeLessThanOrEqual(QEMU_AUTO_CONVERGE.increment);
    expect(p.reason).toMatch(new RegExp(`throttled to ${expected} %`));
  });

  it("steps only after two unproductive syncs (20 % appears in pass 3, like the lab's s2b)", () => {
    // The lab guest: 512 MiB, 256 MiB hot set re-dirtied every pass, 32 MiB/s.
    const base = { memoryBytes: 512 * MIB, workingSetBytes: 256 * MIB, dirtyRateBps: 260e6, bandwidthBps: 32 * MIB, maxDowntimeMs: 300 };
    const twoPasses = predictPrecopy({ ...base, autoConverge: { ...QEMU_AUTO_CONVERGE, max: 20 } });
    expect(twoPasses.finalThrottlePct).toBe(20);
    const p = predictPrecopy({ ...base, autoConverge: QEMU_AUTO_CONVERGE });
    expect(p.converges).toBe(true);
    expect(p.finalThrottlePct).toBeGreaterThanOrEqual(90);
  });

  it("reports non-convergence at the throttle cap", () => {
    const p = predictPrecopy({ memoryBytes: 8 * GIB, dirtyRateBps: 4000 * MIB, bandwidthBps: TEN_G, maxDowntimeMs: 300, autoConverge: { ...QEMU_AUTO_CONVERGE, max: 50 } });
    expect(p).toMatchObject({ converges: false, finalThrottlePct: 50 });
    expect(p.reason).toMatch(/50 % throttle cap/);
  });
});

describe("whatWouldConverge", () => {
  const stuck = { memoryBytes: 8 * GIB, dirtyRateBps: 2000 * MIB, bandwidthBps: TEN_G, maxDowntimeMs: 300, maxBandwidthBps: TWENTY_FIVE_G };

  it("has nothing to suggest when it already converges in time", () => {
    expect(whatWouldConverge({ ...stuck, dirtyRateBps: 500 * MIB })).toEqual([]);
  });

  it("lists the fixes least disruptive first, each with a predicted outcome", () => {
    const fixes = whatWouldConverge(stuck);
    expect(fixes.map((f) => f.kind)).toEqual(["raise-downtime", "more-bandwidth", "auto-converge", "postcopy", "suspend"]);
    const [downtime, bandwidth, ac, postcopy, suspend] = fixes;
    // Whole memory is hot: the downtime that works is W/B.
    expect(downtime!.value! / (((8 * GIB) / TEN_G) * 1000)).toBeCloseTo(1, 2);
    expect(bandwidth!.feasible).toBe(true);
    expect(bandwidth!.value!).toBeGreaterThan(2000 * MIB);
    expect(bandwidth!.value!).toBeLessThan(TWENTY_FIVE_G);
    const atThatRate = predictPrecopy({ ...stuck, bandwidthBps: bandwidth!.value! });
    expect(atThatRate.converges).toBe(true);
    expect(atThatRate.totalTimeMs!).toBeLessThanOrEqual(defaultTimeBudgetMs(8 * GIB));
    expect(ac).toMatchObject({ feasible: true, value: 80 });
    expect(ac!.reason).toMatch(/p\* ≈ 72 %/);
    expect(postcopy!.outcome.totalTimeMs!).toBeCloseTo(((2 * 8 * GIB) / TEN_G) * 1000, 0);
    expect(postcopy!.risk).toMatch(/loses the guest/);
    expect(suspend!.outcome.downtimeMs!).toBeCloseTo(((8 * GIB) / TEN_G) * 1000, 0);
    for (const f of fixes) expect(f.reason.length).toBeGreaterThan(20);
  });

  it("names the hot-set downtime W/B and refuses bandwidth beyond the NIC", () => {
    const fixes = whatWouldConverge({ memoryBytes: 8 * GIB, workingSetBytes: GIB, dirtyRateBps: 2000 * MIB, bandwidthBps: TEN_G, maxDowntimeMs: 300 });
    const downtime = fixes.find((f) => f.kind === "raise-downtime")!;
    expect(downtime.value! / ((GIB / TEN_G) * 1000)).toBeGreaterThan(0.99);
    expect(downtime.value! / ((GIB / TEN_G) * 1000)).toBeLessThan(1.02);
    expect(fixes.find((f) => f.kind === "more-bandwidth")).toMatchObject({ feasible: false, reason: expect.stringMatching(/link's speed/) });
    expect(fixes.find((f) => f.kind === "suspend")!.outcome.downtimeMs!).toBeCloseTo((GIB / TEN_G) * 1000, 0);
  });
});
