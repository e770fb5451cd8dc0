// Issue 4 benchmark: how far the pre-start prediction (measured dirty rate → lib/migration/predict)
// lands from the simulated migration's real total time, and how fast the live verdict flags a
// migration that will not converge. Both sides are independent code: the simulator steps QEMU's
// algorithm in 100 ms windows with dirty-rate jitter; the predictor iterates passes analytically.
import { readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { assessConvergence } from "@/lib/migration/stall";
import { predictPrecopy } from "@/lib/migration/predict";
import type { MigrationSample } from "@/lib/migration/types";
import { measureDirtyRateMiBps } from "@/sim/physics/dirty-rate";
import { PrecopyMigration } from "@/sim/physics/precopy";
import { createRng } from "@/sim/physics/rng";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const LINKS = [1.16 * GiB, 2.8 * GiB]; // usable 10GbE and 25GbE (migration-physics A.2)

export type PredictionBench = { runs: number; medianErrorPct: number; p90ErrorPct: number; maxErrorPct: number; nonConvergentAgreed: string };

export function benchPrediction(runs = 60, seed = 42): PredictionBench {
  const rng = createRng(seed);
  const errors: number[] = [];
  let agreed = 0;
  let nonConvergent = 0;
  for (let i = 0; i < runs; i++) {
    const memoryBytes = Math.round((1 + rng.next() * 63) * GiB);
    const link = LINKS[i % 2] ?? GiB;
    const cap = rng.next() < 0.3 ? Math.round((128 + rng.next() * 896) * MiB) : Number.POSITIVE_INFINITY;
    const B = Math.min(link, cap);
    const lambda = i % 10 === 9 ? 1.1 + rng.next() * 0.8 : rng.next() * 0.85; // every 10th: does not converge
    const workload = { dirtyRateBps: lambda * B, workingSetBytes: memoryBytes, zeroFraction: 0, cpuBound: true };
    // As the console measures: a 1 s and a 2 s window (lib/migration/dirty-sampling).
    const window = (s: number) => ({ seconds: s, bytesPerSecond: measureDirtyRateMiBps(workload, 0, false, s, seed + i + s, memoryBytes) * MiB });
    const measured = readDirtyWindows(window(1), window(2));
    const predicted = predictPrecopy({ memoryBytes, dirtyRateBps: measured.dirtyRateBps, workingSetBytes: measured.workingSetBytes ?? undefined, bandwidthBps: B, maxDowntimeMs: 300 });
    const actual = simulate(memoryBytes, workload, B, seed + i);
    if (lambda >= 1) {
      nonConvergent++;
      if (!predicted.converges && actual === null) agreed++;
      continue;
    }
    if (actual === null || predicted.totalTimeMs === null) {
      errors.push(100);
      continue;
    }
    errors.push((Math.abs(predicted.totalTimeMs - actual) / actual) * 100);
  }
  errors.sort((a, b) => a - b);
  const q = (p: number) => errors[Math.min(errors.length - 1, Math.floor(p * errors.length))] ?? Number.NaN;
  return { runs, medianErrorPct: q(0.5), p90ErrorPct: q(0.9), maxErrorPct: errors[errors.length - 1] ?? Number.NaN, nonConvergentAgreed: `${agreed}/${nonConvergent}` };
}

/** Total time of the simulated migration (ms), or null if it is still running after 2 h. */
function simulate(memoryBytes: number, workload: { dirtyRateBps: number; workingSetBytes: number; zeroFraction: number; cpuBound: boolean }, B: number, seed: number): number | null {
  const m = new PrecopyMigration({ memoryBytes, workload, params: { maxBandwidthBps: Number.POSITIVE_INFINITY }, seed });
  for (let t = 0; t < 2 * 3600 * 1000; t += 100) {
    m.advance(100, B);
    if (m.phase === "completed") return m.elapsedMs;
  }
  return null;
}

export type StallBench = { runs: number; medianLatencyS: number; maxLatencyS: number; missed: number; falseAlarms: number; convergingRuns: number };

/**
 * Stall-detection latency: non-converging migrations sampled at 1 Hz (as the worker does) until the
 * verdict says stalled or won't-converge; and converging ones, which must never be flagged.
 */
export function benchStallDetection(runs = 20, seed = 7): StallBench {
  const rng = createRng(seed);
  const latencies: number[] = [];
  let missed = 0;
  let falseAlarms = 0;
  let converging = 0;
  for (let i = 0; i < runs; i++) {
    const memoryBytes = Math.round((2 + rng.next() * 30) * GiB);
    const B = LINKS[i % 2] ?? GiB;
    const stalls = i % 2 === 0;
    const lambda = stalls ? 1.1 + rng.next() : 0.3 + rng.next() * 0.5;
    const workload = { dirtyRateBps: lambda * B, workingSetBytes: stalls ? Math.min(memoryBytes, 2 * GiB + rng.next() * 4 * GiB) : memoryBytes, zeroFraction: 0, cpuBound: true };
    const m = new PrecopyMigration({ memoryBytes, workload, seed: seed + i });
    const samples: MigrationSample[] = [];
    let flaggedAt: number | null = null;
    const done = () => m.phase === "completed";
    for (let s = 1; s <= 600; s++) {
      m.advance(1000, B);
      if (done()) break;
      const st = m.jobStats();
      samples.push({
        atMs: s * 1000,
        elapsedMs: st.time_elapsed ?? s * 1000,
        processedBytes: st.data_processed ?? 0,
        remainingBytes: st.data_remaining ?? 0,
        totalBytes: st.data_total ?? 0,
        dirtyRateBps: (st.memory_dirty_rate ?? 0) * (st.memory_page_size ?? 4096),
        transferRateBps: st.memory_bps ?? 0,
        iteration: st.memory_iteration ?? 0,
        throttlePct: st.auto_converge_throttle ?? 0,
        expectedDowntimeMs: st.downtime ?? 0,
        postcopyRequests: 0,
      });
      const v = assessConvergence(samples, { nowMs: s * 1000, maxDowntimeMs: 300 });
      if (v.verdict === "stalled" || v.verdict === "wont-converge") {
        flaggedAt = s;
        break;
      }
    }
    if (stalls) {
      if (flaggedAt === null) missed++;
      else latencies.push(flaggedAt);
    } else {
      converging++;
      if (flaggedAt !== null) falseAlarms++;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    runs,
    medianLatencyS: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN,
    maxLatencyS: latencies[latencies.length - 1] ?? Number.NaN,
    missed,
    falseAlarms,
    convergingRuns: converging,
  };
}
