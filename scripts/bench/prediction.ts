// `npm run bench -- prediction`: the pre-launch prediction as the console makes it — its own
// measurement code (dirty-rate windows read by lib/migration/dirty-sampling, bytes to send from the
// host's RSS, the path's throughput as learned) fed to the what-if engine — against the simulator
// (sim/physics, 100 ms windows, ±3 % dirty-rate jitter) running the true workload. Cases are drawn
// from a wide space, so measurement error is part of the figures. Also: stall-detection latency.
import { dirtyWindowPlan, readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { launchVerdict } from "@/lib/migration/launch-verdict";
import { assessConvergence } from "@/lib/migration/stall";
import type { MigrationSample } from "@/lib/migration/types";
import type { WhatIfState } from "@/lib/migration/what-if";
import { measureDirtyRateMiBps } from "@/sim/physics/dirty-rate";
import { jobSample } from "@/sim/physics/job-samples";
import { type GuestWorkload, PrecopyMigration } from "@/sim/physics/precopy";
import { createRng } from "@/sim/physics/rng";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
/** Usable throughput of 1/10/25/100 GbE (≈ 93 % of the line rate; the demo's 10 GbE carries 1121 MiB/s). */
const LINKS = [0.116 * GiB, 1.16 * GiB, 2.8 * GiB, 11.2 * GiB];
/** QEMU's own resident memory on top of the guest's touched pages (the simulator's balloon.rss adds it). */
const QEMU_RSS_OVERHEAD = 31_744 * 1024;

type Case = {
  memoryBytes: number;
  workload: GuestWorkload;
  linkBps: number;
  capBps: number | null;
  maxDowntimeMs: number;
};
export type Confusion = Record<"go" | "no-go" | "uncertain", { converged: number; not: number }>;
export type PredictionBench = {
  runs: number;
  compared: number;
  total: { median: number; p90: number; max: number };
  /** Total-time error of the GO verdicts only: what an operator relies on. */
  totalGo: { median: number; p90: number; max: number };
  downtime: { median: number; p90: number; max: number };
  confusion: Confusion;
};

function drawCase(rng: ReturnType<typeof createRng>): Case {
  const memoryBytes = Math.round(2 ** (rng.next() * 9)) * GiB;
  const zeroFraction = rng.next() * 0.9;
  const nonZero = memoryBytes * (1 - zeroFraction);
  const linkBps = LINKS[Math.floor(rng.next() * LINKS.length)]!;
  const capBps = rng.next() < 0.5 ? null : Math.round(linkBps * (0.1 + rng.next() * 0.8));
  const B = Math.min(linkBps, capBps ?? Number.POSITIVE_INFINITY);
  const workingSetBytes = nonZero * 10 ** (-2 * rng.next()); // 1 % of memory … all of it
  const dirtyRateBps = rng.next() * 1.6 * B;
  const maxDowntimeMs = Math.round(30 * (2000 / 30) ** rng.next());
  return {
    memoryBytes,
    workload: { dirtyRateBps, workingSetBytes, zeroFraction, cpuBound: true },
    linkBps,
    capBps,
    maxDowntimeMs,
  };
}

/** What the console would predict: its measurement code on the simulated guest, then the engine. */
function consolePrediction(c: Case, seed: number) {
  const rng = createRng(seed);
  const nonZero = c.memoryBytes * (1 - c.workload.zeroFraction);
  const rss = Math.min(c.memoryBytes, nonZero + QEMU_RSS_OVERHEAD);
  // Learned from earlier migrations on this pair: the path's throughput, measured with its own noise.
  const pathBps = c.linkBps * (1 + 0.03 * rng.normal());
  const B = Math.min(pathBps, c.capBps ?? Number.POSITIVE_INFINITY);
  // Each window samples afresh, as QEMU draws new pages per calculation.
  const windows = dirtyWindowPlan(rss / B).map((s, j) => ({
    seconds: s,
    bytesPerSecond: measureDirtyRateMiBps(c.workload, 0, false, s, seed + 100 * j + s, c.memoryBytes) * MiB,
  }));
  const estimate = readDirtyWindows(windows, c.memoryBytes, rss);
  const state: WhatIfState = {
    memoryBytes: rss,
    zeroBytes: c.memoryBytes - rss,
    pendingBytes: null,
    dirtyRateBps: estimate.dirtyRateBps,
    workingSetBytes: estimate.workingSetBytes,
    pathBps,
    capBps: c.capBps,
    maxDowntimeMs: c.maxDowntimeMs,
    autoConverge: null,
    throttlePct: 0,
  };
  return launchVerdict(state, estimate);
}

/** The simulated job's total time and downtime, or null once its passes stopped shrinking (or after 24 h). */
function simulate(c: Case, seed: number): { totalMs: number; downtimeMs: number } | null {
  const m = new PrecopyMigration({
    memoryBytes: c.memoryBytes,
    workload: c.workload,
    params: { maxBandwidthBps: c.capBps ?? Number.POSITIVE_INFINITY, downtimeLimitMs: c.maxDowntimeMs },
    seed,
  });
  const volumes: number[] = [];
  while (m.elapsedMs < 24 * 3600 * 1000) {
    for (const e of m.advance(10_000, c.linkBps))
      if (e.type === "iteration" && e.remainingBytes !== undefined) volumes.push(e.remainingBytes);
    if (m.phase === "completed") return { totalMs: m.elapsedMs, downtimeMs: m.downtimeMs ?? 0 };
    const recent = volumes.slice(-5);
    const earlier = volumes.slice(1, -5);
    if (earlier.length >= 3 && Math.min(...recent) >= 0.99 * Math.min(...earlier)) return null;
  }
  return null;
}

const pctErr = (p: number, a: number) => (Math.abs(p - a) / a) * 100;
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? Number.NaN;
  return { median: q(0.5), p90: q(0.9), max: s.at(-1) ?? Number.NaN };
}

export function benchPrediction(runs = 200, seed = 16): PredictionBench {
  const rng = createRng(seed);
  const total: number[] = [];
  const totalGo: number[] = [];
  const downtime: number[] = [];
  const confusion: Confusion = {
    go: { converged: 0, not: 0 },
    "no-go": { converged: 0, not: 0 },
    uncertain: { converged: 0, not: 0 },
  };
  for (let i = 0; i < runs; i++) {
    const c = drawCase(rng);
    const predicted = consolePrediction(c, seed * 1000 + i);
    const actual = simulate(c, seed + i);
    confusion[predicted.verdict][actual ? "converged" : "not"]++;
    const o = predicted.outcome;
    if (actual && o.converges && o.totalTimeMs !== null && o.downtimeMs !== null) {
      total.push(pctErr(o.totalTimeMs, actual.totalMs));
      if (predicted.verdict === "go") totalGo.push(pctErr(o.totalTimeMs, actual.totalMs));
      downtime.push(pctErr(o.downtimeMs, actual.downtimeMs));
    }
  }
  return {
    runs,
    compared: total.length,
    total: stats(total),
    totalGo: stats(totalGo),
    downtime: stats(downtime),
    confusion,
  };
}

export type StallBench = {
  runs: number;
  medianLatencyS: number;
  maxLatencyS: number;
  missed: number;
  falseAlarms: number;
  convergingRuns: number;
};

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
    const B = LINKS[1 + (i % 2)] ?? GiB;
    const stalls = i % 2 === 0;
    const lambda = stalls ? 1.1 + rng.next() : 0.3 + rng.next() * 0.5;
    const workload = {
      dirtyRateBps: lambda * B,
      workingSetBytes: stalls ? Math.min(memoryBytes, 2 * GiB + rng.next() * 4 * GiB) : memoryBytes,
      zeroFraction: 0,
      cpuBound: true,
    };
    const m = new PrecopyMigration({ memoryBytes, workload, seed: seed + i });
    const samples: MigrationSample[] = [];
    let flaggedAt: number | null = null;
    for (let s = 1; s <= 600; s++) {
      m.advance(1000, B);
      if (m.phase === "completed") break;
      samples.push(jobSample(m, s * 1000));
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
