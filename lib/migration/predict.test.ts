import { describe, expect, it } from "vitest";
import { PrecopyMigration } from "@/sim/physics/precopy";
import { DEFAULT_DEVICE_STATE_MS, predictedThrottle, predictPrecopy } from "./predict";
import { GIB, MIB, QEMU_AUTO_CONVERGE } from "./types";

// A.2's planning table assumes ≈ 1.1 GiB/s usable on 10GbE and ≈ 2.8 GiB/s on 25GbE, T = 300 ms, W = M.
const TEN_G = 1.1 * GIB;
const TWENTY_FIVE_G = 2.8 * GIB;

describe("predictPrecopy against the simulator (true inputs)", () => {
  // sim/physics steps QEMU's algorithm in 100 ms windows; the predictor iterates passes. Both model
  // zero pages, the mid-pass switchover and device state, so given the truth they must agree.
  const cases = [
    // M GiB, zero fraction, λ, hot set share, link, max downtime ms
    [8, 0, 0.45, 1, TEN_G, 300],
    [64, 0.5, 0.8, 0.2, TEN_G, 300],
    [32, 0.9, 1.3, 0.05, TWENTY_FIVE_G, 2000],
    [4, 0.3, 0.95, 1, 0.116 * GIB, 1000],
    [256, 0.7, 0.6, 0.01, 11 * GIB, 30],
  ] as const;
  it.each(cases)("M=%d GiB zero=%d λ=%d W=%d·M", (m, zero, lambda, w, link, T) => {
    const memoryBytes = m * GIB;
    const nonZero = memoryBytes * (1 - zero);
    const workload = { dirtyRateBps: lambda * link, workingSetBytes: w * nonZero, zeroFraction: zero, cpuBound: true };
    const sim = new PrecopyMigration({ memoryBytes, workload, params: { downtimeLimitMs: T }, seed: 3, jitter: 0 });
    while (sim.phase !== "completed" && sim.elapsedMs < 3_600_000) sim.advance(1000, link);
    const p = predictPrecopy({
      memoryBytes: nonZero,
      zeroBytes: memoryBytes - nonZero,
      dirtyRateBps: workload.dirtyRateBps,
      workingSetBytes: workload.workingSetBytes,
      bandwidthBps: link,
      maxDowntimeMs: T,
      setupMs: 5,
    });
    expect(p.converges).toBe(true);
    expect(Math.abs(p.totalTimeMs! - sim.elapsedMs) / sim.elapsedMs).toBeLessThan(0.01);
    expect(Math.abs(p.downtimeMs! - sim.downtimeMs!) / sim.downtimeMs!).toBeLessThan(0.05);
  });

  it("switches over as soon as what is left fits: downtime ≈ the limit, not a whole pass (A.3)", () => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      dirtyRateBps: 1000 * MIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
    });
    expect(p.downtimeMs!).toBeGreaterThan(250);
    expect(p.downtimeMs!).toBeLessThan(300 + DEFAULT_DEVICE_STATE_MS);
  });

  it("says no for 8 GiB at 2000 MiB/s on 10GbE (λ > 1, W > B·T)", () => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      dirtyRateBps: 2000 * MIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
    });
    expect(p).toMatchObject({ converges: false, totalTimeMs: null, downtimeMs: null, bytesSent: null });
    expect(p.lambda).toBeCloseTo(1.78, 2);
    expect(p.reason).toMatch(/never converges/);
  });
});

describe("predictPrecopy limits", () => {
  it("converges with λ ≥ 1 when the hot set fits the downtime budget (W ≤ B·T)", () => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      workingSetBytes: 200 * MIB,
      dirtyRateBps: 3 * GIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
    });
    expect(p.converges).toBe(true);
    expect(p.passes).toBe(1);
    expect(p.downtimeMs!).toBeLessThanOrEqual(300 + DEFAULT_DEVICE_STATE_MS);
  });

  it("does not converge with λ ≥ 1 when it does not (W > B·T)", () => {
    const p = predictPrecopy({
      memoryBytes: 512 * MIB,
      workingSetBytes: 256 * MIB,
      dirtyRateBps: 260e6,
      bandwidthBps: 32 * MIB,
      maxDowntimeMs: 300,
    });
    expect(p.converges).toBe(false);
    expect(p.reason).toMatch(/256 MiB/);
  });

  it("gives up past 10,000 passes (λ → 1)", () => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      dirtyRateBps: 0.99995 * TEN_G,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
    });
    expect(p.converges).toBe(false);
    expect(p.reason).toMatch(/10000 passes or 24 h/);
  });

  it("switches over at once when everything fits the budget", () => {
    const p = predictPrecopy({
      memoryBytes: 100 * MIB,
      dirtyRateBps: 5 * GIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
    });
    expect(p).toMatchObject({ converges: true });
    expect(p.passes).toBeLessThanOrEqual(1);
  });

  it("rejects nonsense", () => {
    expect(() => predictPrecopy({ memoryBytes: 0, dirtyRateBps: 0, bandwidthBps: 1, maxDowntimeMs: 300 })).toThrow(
      RangeError,
    );
    expect(() => predictPrecopy({ memoryBytes: 1, dirtyRateBps: 0, bandwidthBps: 0, maxDowntimeMs: 300 })).toThrow(
      RangeError,
    );
    expect(() => predictPrecopy({ memoryBytes: 1, dirtyRateBps: -1, bandwidthBps: 1, maxDowntimeMs: 300 })).toThrow(
      RangeError,
    );
  });
});

describe("auto-converge", () => {
  it.each([
    [2000, 80],
    [3000, 90],
  ])("D = %d MiB/s on 10GbE settles within one increment of p* (A.4: %d %%)", (D, expected) => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      dirtyRateBps: D * MIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
      autoConverge: QEMU_AUTO_CONVERGE,
    });
    const pStar = predictedThrottle(D * MIB, TEN_G) * 100;
    expect(p.converges).toBe(true);
    expect(p.finalThrottlePct).toBe(expected);
    expect(Math.abs(p.finalThrottlePct! - pStar)).toBeLessThanOrEqual(QEMU_AUTO_CONVERGE.increment);
    expect(p.reason).toMatch(new RegExp(`throttled to ${expected} %`));
  });

  it("steps only after two unproductive syncs (20 % appears in pass 3, like the lab's s2b)", () => {
    // The lab guest: 512 MiB, 256 MiB hot set re-dirtied every pass, 32 MiB/s.
    const base = {
      memoryBytes: 512 * MIB,
      workingSetBytes: 256 * MIB,
      dirtyRateBps: 260e6,
      bandwidthBps: 32 * MIB,
      maxDowntimeMs: 300,
    };
    const twoPasses = predictPrecopy({ ...base, autoConverge: { ...QEMU_AUTO_CONVERGE, max: 20 } });
    expect(twoPasses.finalThrottlePct).toBe(20);
    const p = predictPrecopy({ ...base, autoConverge: QEMU_AUTO_CONVERGE });
    expect(p.converges).toBe(true);
    expect(p.finalThrottlePct).toBeGreaterThanOrEqual(90);
  });

  it("reports non-convergence at the throttle cap", () => {
    const p = predictPrecopy({
      memoryBytes: 8 * GIB,
      dirtyRateBps: 4000 * MIB,
      bandwidthBps: TEN_G,
      maxDowntimeMs: 300,
      autoConverge: { ...QEMU_AUTO_CONVERGE, max: 50 },
    });
    expect(p).toMatchObject({ converges: false, finalThrottlePct: 50 });
    expect(p.reason).toMatch(/50 % throttle cap/);
  });
});
