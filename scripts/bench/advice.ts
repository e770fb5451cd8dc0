// Issue 16's seed-000 case: batch-stress-01 (8 vCPUs, 72,000 MB, `stress -m 4 --vm-bytes 512M`:
// a 2 GiB hot set rewritten at ~2.5 GiB/s) migrated hv01 → hv02 over 10 GbE with the demo's
// defaults (max downtime 300 ms, auto-converge off, no cap, post-copy not armed). The console's own
// chain — 1 Hz samples → verdict → what-if state → fixes — runs on the simulated job until the
// verdict offers fixes; then each offered fix is applied to a copy of that very job (same seed,
// same moment) and the outcome measured, next to what the button promised.
import { recommendFix } from "@/lib/migration/fix-advice";
import { assessConvergence } from "@/lib/migration/stall";
import { liveWhatIfState } from "@/lib/migration/live-state";
import { type AutoConvergeParams, type MigrationSample, QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import { jobSample } from "@/sim/physics/job-samples";
import { PrecopyMigration } from "@/sim/physics/precopy";
import { workloadProfile } from "@/sim/physics/profiles";

const MEMORY_BYTES = 70_312_500 * 1024; // 72e9 bytes, as the demo fleet defines it
/** 10 GbE at the simulator's 94 % framing efficiency. */
const LINK_BPS = (10e9 / 8) * 0.94;
const MAX_DOWNTIME_MS = 300;
const SEED = 0;
/** Give up on a run after an hour of simulated time. */
const LIMIT_S = 3600;

type Outcome = { converged: boolean; totalMs: number | null; downtimeMs: number | null; sentBytes: number | null };
export type AdviceRow = { fix: string; predicted: string; actual: Outcome };
export type AdviceBench = { offeredAtS: number; verdict: string; rows: AdviceRow[]; wontHelp: string[] };

function start(autoConverge: AutoConvergeParams | null): PrecopyMigration {
  return new PrecopyMigration({
    memoryBytes: MEMORY_BYTES,
    workload: { ...workloadProfile("stress", MEMORY_BYTES), vcpus: 8 },
    params: {
      maxBandwidthBps: Number.POSITIVE_INFINITY,
      downtimeLimitMs: MAX_DOWNTIME_MS,
      autoConverge: autoConverge !== null,
      ...(autoConverge
        ? { cpuThrottleInitial: autoConverge.initial, cpuThrottleIncrement: autoConverge.increment }
        : {}),
    },
    seed: SEED,
  });
}

/** Runs to the end (or the limit) and reports from `fromS` on. */
function finish(m: PrecopyMigration, fromS: number, s0: number): Outcome {
  const sentBefore = m.jobStats().data_processed ?? 0;
  for (let s = s0; s < LIMIT_S && m.phase !== "completed"; s++) m.advance(1000, LINK_BPS);
  if (m.phase !== "completed") return { converged: false, totalMs: null, downtimeMs: null, sentBytes: null };
  const done = m.completedStats();
  return {
    converged: true,
    totalMs: m.elapsedMs - fromS * 1000,
    downtimeMs: m.downtimeMs,
    sentBytes: (done?.data_processed ?? 0) - sentBefore,
  };
}

/** The job as it was when the fixes were offered: replayed from the seed to second `atS`. */
function replay(atS: number): PrecopyMigration {
  const m = start(null);
  for (let s = 1; s <= atS; s++) m.advance(1000, LINK_BPS);
  return m;
}

export function benchAdvice(): AdviceBench {
  const m = start(null);
  const samples: MigrationSample[] = [];
  for (let s = 1; s <= LIMIT_S; s++) {
    m.advance(1000, LINK_BPS);
    if (m.phase === "completed") throw new Error("batch-stress-01 converged on its own: the case no longer holds");
    samples.push(jobSample(m, s * 1000));
    const a = assessConvergence(samples, { nowMs: s * 1000, maxDowntimeMs: MAX_DOWNTIME_MS });
    const state = liveWhatIfState(samples, {
      capBps: null,
      maxDowntimeMs: MAX_DOWNTIME_MS,
      autoConverge: null,
      learnedPathBps: null,
    });
    const advice = recommendFix(a, { autoConverge: false, postcopyArmed: false, state });
    const offered = advice.fixes.filter((f) => f.outcome !== null);
    if (offered.length === 0) continue;
    const rows = offered.map((f): AdviceRow => {
      const o = f.outcome;
      const predicted = o?.converges
        ? `done in ${secs(o.totalTimeMs)}, downtime ${ms(o.downtimeMs)}, ${gb(o.bytesSent)}`
        : "does not converge";
      const label = `${f.action}${f.params ? ` ${JSON.stringify(f.params)}` : ""}`;
      return { fix: label, predicted, actual: applyFix(f.action, f.params ?? {}, s) };
    });
    return {
      offeredAtS: s,
      verdict: `${a.verdict}: ${a.reason}`,
      rows,
      wontHelp: advice.wontHelp.map((w) => `${w.action}: ${w.reason}`),
    };
  }
  throw new Error("no fix was offered within an hour");
}

function applyFix(action: string, params: Record<string, number>, atS: number): Outcome {
  if (action === "restart-with-auto-converge") {
    // Abort (the guest keeps running) and start over with auto-converge: a fresh job from here.
    return finish(start(QEMU_AUTO_CONVERGE), 0, 0);
  }
  const m = replay(atS);
  if (action === "set-max-downtime") m.setDowntimeLimit(params.ms ?? MAX_DOWNTIME_MS);
  else if (action === "set-bandwidth") m.setMaxBandwidth(params.bps ?? LINK_BPS);
  else if (action === "suspend-to-finish") m.pauseGuest();
  else throw new Error(`the bench cannot apply ${action}`);
  return finish(m, atS, atS);
}

const secs = (x: number | null | undefined) => (x == null ? "?" : `${(x / 1000).toFixed(1)} s`);
const ms = (x: number | null | undefined) => (x == null ? "?" : `${Math.round(x)} ms`);
const gb = (x: number | null | undefined) => (x == null ? "? GB" : `${(x / 1e9).toFixed(1)} GB`);

export function adviceText(b: AdviceBench): string {
  const lines = [
    `fixes offered ${b.offeredAtS} s into the job (${b.verdict})`,
    `  ${"fix".padEnd(44)} ${"predicted".padEnd(44)} actual`,
  ];
  for (const r of b.rows) {
    const a = r.actual.converged
      ? `done in ${secs(r.actual.totalMs)}, downtime ${ms(r.actual.downtimeMs)}, ${gb(r.actual.sentBytes)}`
      : "did not converge";
    lines.push(`  ${r.fix.padEnd(44)} ${r.predicted.padEnd(44)} ${a}`);
  }
  for (const w of b.wontHelp) lines.push(`  not offered — ${w}`);
  return `${lines.join("\n")}\n`;
}
