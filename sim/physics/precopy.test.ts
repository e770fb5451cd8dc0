// The model against the closed-form geometric pre-copy model (migration-physics A.2), QEMU's
// auto-converge rule (A.4), and its own invariants (tick-size independence, determinism).
// Expected values are computed here from the formulas, never by calling the code under test.
import { describe, expect, it } from "vitest";
import { PrecopyMigration } from "./precopy";
import { workloadProfile } from "./profiles";
import { GiB, MiB, num, ofType, runToEnd, uniform } from "./test-helpers";

const T_S = 0.3; // default downtime limit
const exact = { jitter: 0, params: { setupMs: 0, deviceStateMs: 0 } };

/** Geometric model: V_i = M·λ^i, stop at the first V_n ≤ B·T, T_mig = (M/B)(1 − λ^{n+1})/(1 − λ). */
function geometric(M: number, D: number, B: number) {
  const lambda = D / B;
  const n = Math.ceil(Math.log((B * T_S) / M) / Math.log(lambda));
  const totalS = ((M / B) * (1 - lambda ** (n + 1))) / (1 - lambda);
  return { lambda, n, totalS, bytes: totalS * B };
}

describe("pre-copy against the geometric model (jitter 0, W = M, λ < 1)", () => {
  const cases = [
    { M: 8 * GiB, D: 300 * MiB, B: 1.1 * GiB },
    { M: 8 * GiB, D: 500 * MiB, B: 1.1 * GiB },
    { M: 8 * GiB, D: 1000 * MiB, B: 1.1 * GiB },
    { M: 64 * GiB, D: 500 * MiB, B: 1.1 * GiB },
    { M: 16 * GiB, D: 2000 * MiB, B: 2.8 * GiB },
    { M: 2 * GiB, D: 20 * MiB, B: 125 * MiB },
  ];
  for (const { M, D, B } of cases) {
    it(`M=${M / GiB} GiB, D=${D / MiB} MiB/s, B=${(B / GiB).toFixed(2)} GiB/s`, () => {
      const g = geometric(M, D, B);
      const m = new PrecopyMigration({ memoryBytes: M, workload: uniform(D, M), ...exact });
      const iterations = ofType(runToEnd(m, B), "iteration");
      expect(m.phase).toBe("completed");
      // Pass volumes: iteration k+1 starts pass k. The last two syncs are the switchover ones.
      expect(iterations[0]?.remainingBytes).toBe(M);
      for (let i = 1; i < g.n; i++) {
        const v = iterations[i]?.remainingBytes ?? Number.NaN;
        expect(Math.abs(v / (M * g.lambda ** i) - 1)).toBeLessThan(0.01);
      }
      // Sync convention: the stop-and-copy pass is pass n (QEMU's count is n + 2: the setup sync
      // plus the "pending < threshold" sync plus the completion sync).
      expect(m.pass).toBe(g.n);
      expect(m.iteration).toBe(g.n + 2);
      expect(Math.abs(m.elapsedMs / 1000 / g.totalS - 1)).toBeLessThan(0.02);
      const stats = m.completedStats();
      expect(stats?.downtime).toBeLessThanOrEqual(T_S * 1000 * 1.01);
      expect(Math.abs((stats?.memory_processed ?? 0) / g.bytes - 1)).toBeLessThan(0.02);
    });
  }

  // migration-physics A.2 table (model output, rounded in the table: compare within 2 %).
  const table = [
    { link: 1.1 * GiB, M: 8, D: 500, rounds: 4, tMig: 12.9, gib: 14.1 },
    { link: 1.1 * GiB, M: 8, D: 1000, rounds: 27, tMig: 62.5, gib: 68.7 },
    { link: 1.1 * GiB, M: 64, D: 500, rounds: 7, tMig: 104.5, gib: 114.9 },
    { link: 1.1 * GiB, M: 64, D: 1000, rounds: 45, tMig: 516, gib: 568 },
    { link: 2.8 * GiB, M: 8, D: 2000, rounds: 7, tMig: 8.9, gib: 25.0 },
    { link: 2.8 * GiB, M: 64, D: 2000, rounds: 13, tMig: 75.1, gib: 210 },
  ];
  for (const row of table) {
    it(`A.2 table: ${row.M} GiB at ${row.D} MiB/s on ${(row.link / GiB).toFixed(1)} GiB/s → ${row.rounds} rounds, ${row.tMig} s`, () => {
      const m = new PrecopyMigration({
        memoryBytes: row.M * GiB,
        workload: uniform(row.D * MiB, row.M * GiB),
        ...exact,
      });
      runToEnd(m, row.link, 1000);
      expect(m.phase).toBe("completed");
      expect(m.pass).toBe(row.rounds);
      expect(Math.abs(m.elapsedMs / 1000 / row.tMig - 1)).toBeLessThan(0.02);
      expect(Math.abs((m.completedStats()?.memory_processed ?? 0) / GiB / row.gib - 1)).toBeLessThan(0.02);
    });
  }
});

describe("non-convergence", () => {
  it("D ≥ B with W > B·T never converges: remaining plateaus at W, iterations grow", () => {
    const B = 1.1 * GiB;
    const W = 2 * GiB;
    const m = new PrecopyMigration({ memoryBytes: 8 * GiB, workload: uniform(2 * GiB, W), seed: 5 });
    const iterations = ofType(runToEnd(m, B, 1000, 30 * 60_000), "iteration");
    expect(m.phase).toBe("precopy");
    expect(m.elapsedMs).toBe(30 * 60_000);
    expect(m.iteration).toBeGreaterThan(500); // a 2 GiB pass takes ~1.8 s
    for (const e of iterations.slice(-20)) expect(e.remainingBytes).toBe(W);
    const s = m.jobStats();
    expect(num(s.downtime) / 1000).toBeCloseTo(W / B, 0); // expected downtime = pending at sync / bandwidth
    expect(num(s.memory_dirty_rate) * 4096).toBeGreaterThan(0.9 * B); // ≈ W per pass time ≈ B
  });
});

describe("auto-converge (QEMU migration_trigger_throttle)", () => {
  for (const D of [2 * GiB, 3 * GiB]) {
    it(`D=${D / GiB} GiB/s, W=2 GiB on 1.1 GiB/s: 20, 30, 40 … one step per 2 syncs, ends near 1 − 0.5·B/D`, () => {
      const B = 1.1 * GiB;
      const m = new PrecopyMigration({
        memoryBytes: 8 * GiB,
        workload: uniform(D, 2 * GiB),
        jitter: 0,
        params: { autoConverge: true },
      });
      const events = runToEnd(m, B);
      expect(m.phase).toBe("completed");
      let iteration = 0;
      const steps: { percent: number; iteration: number }[] = [];
      for (const e of events) {
        if (e.type === "iteration") iteration = e.iteration;
        if (e.type === "throttle") steps.push({ percent: e.percent, iteration });
      }
      expect(steps.map((s) => s.percent)).toEqual(steps.map((_, i) => 20 + 10 * i));
      for (let i = 1; i < steps.length; i++)
        expect((steps[i]?.iteration ?? 0) - (steps[i - 1]?.iteration ?? 0)).toBe(2);
      const pStar = 100 * (1 - (0.5 * B) / D);
      expect(Math.abs((steps.at(-1)?.percent ?? 0) - pStar)).toBeLessThanOrEqual(10);
    });
  }

  it("the reported stress guest on 10 GbE does not converge without it and does with it", () => {
    const memoryBytes = 72_000 * MiB;
    const workload = workloadProfile("stress", memoryBytes);
    const B = 1.16 * GiB;
    const plain = new PrecopyMigration({ memoryBytes, workload, seed: 11 });
    runToEnd(plain, B, 1000, 10 * 60_000);
    expect(plain.phase).toBe("precopy");
    expect(plain.iteration).toBeGreaterThan(100);
    const ac = new PrecopyMigration({ memoryBytes, workload, seed: 11, params: { autoConverge: true } });
    const events = runToEnd(ac, B, 1000, 10 * 60_000);
    expect(ac.phase).toBe("completed");
    const last = ofType(events, "throttle").at(-1)?.percent ?? 0;
    expect(Math.abs(last - 100 * (1 - (0.5 * B) / workload.dirtyRateBps))).toBeLessThanOrEqual(10);
    expect(ac.completedStats()?.downtime).toBeLessThan(500);
  });

  it("lab s2b shape: 32 MiB/s, 256 MiB hot set, CPU-bound writer → first step ~17 s, ~16 s per step, done in ~2 min", () => {
    const m = new PrecopyMigration({
      memoryBytes: 537_403_392,
      workload: { dirtyRateBps: 150 * MiB, workingSetBytes: 256 * MiB, zeroFraction: 0.4, cpuBound: true },
      seed: 2,
      params: { maxBandwidthBps: 32 * MiB, autoConverge: true, setupMs: 1 },
    });
    const throttles = ofType(runToEnd(m, 1.25e9, 1000), "throttle");
    expect(m.phase).toBe("completed");
    expect(throttles[0]?.percent).toBe(20);
    expect((throttles[0]?.atMs ?? 0) / 1000).toBeGreaterThan(14);
    expect((throttles[0]?.atMs ?? 0) / 1000).toBeLessThan(22);
    const gaps = throttles.slice(1).map((e, i) => (e.atMs - (throttles[i]?.atMs ?? 0)) / 1000);
    for (const g of gaps.slice(0, 6)) {
      expect(g).toBeGreaterThan(13);
      expect(g).toBeLessThan(19);
    }
    expect(m.elapsedMs / 1000).toBeGreaterThan(110);
    expect(m.elapsedMs / 1000).toBeLessThan(160);
    expect(m.completedStats()?.downtime).toBeLessThan(100); // the final flush ignores the 32 MiB/s cap
  });

  it("throttling does not lower the dirty rate of a non-CPU-bound writer", () => {
    const m = new PrecopyMigration({
      memoryBytes: 4 * GiB,
      workload: { ...uniform(2 * GiB, 2 * GiB), cpuBound: false },
      jitter: 0,
      params: { autoConverge: true },
    });
    runToEnd(m, 1.1 * GiB, 1000, 120_000);
    expect(m.phase).toBe("precopy");
    expect(m.throttlePercent).toBeGreaterThanOrEqual(90);
  });
});

describe("tick-size independence and determinism", () => {
  const make = () =>
    new PrecopyMigration({
      memoryBytes: 16 * GiB,
      workload: uniform(1.5 * GiB, 3 * GiB, 0.3),
      seed: 42,
      params: { autoConverge: true },
    });

  it("dt = 50 ms and dt = 1000 ms (and 37 ms) give the same passes and total time within 1 %", () => {
    const runs = [50, 1000, 37].map((dt) => {
      const m = make();
      const events = runToEnd(m, 1.1 * GiB, dt);
      return { m, iterations: ofType(events, "iteration").length };
    });
    const [a, b, c] = runs;
    for (const r of [b, c]) {
      expect(r?.m.phase).toBe("completed");
      expect(r?.m.pass).toBe(a?.m.pass);
      expect(r?.iterations).toBe(a?.iterations);
      expect(Math.abs((r?.m.elapsedMs ?? 0) / (a?.m.elapsedMs ?? 1) - 1)).toBeLessThan(0.01);
    }
  });

  it("same inputs and seed → identical events and stats; another seed differs", () => {
    const run = (seed: number) => {
      const m = new PrecopyMigration({ memoryBytes: 8 * GiB, workload: uniform(900 * MiB, 8 * GiB), seed });
      const events = runToEnd(m, 1.1 * GiB, 250);
      return { events, stats: m.completedStats() };
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8).stats).not.toEqual(run(7).stats);
  });
});
