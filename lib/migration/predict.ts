// Analytic pre-copy predictor: iterates the passes exactly as QEMU runs them (migration-physics A.2,
// A.3, A.4) instead of using the closed form, so a working-set cap and auto-converge's throttle
// steps fall out of the same loop. Pure and deterministic.
import { bytes, duration, pct, rate, ratio } from "./text";
import type { AutoConvergeParams } from "./types";

export type PredictInput = {
  /** Memory that must actually be sent (non-zero pages; A.9: configured RAM overstates it). */
  memoryBytes: number;
  dirtyRateBps: number;
  /** Hot set: the most one pass can dirty. Defaults to all of memory. */
  workingSetBytes?: number;
  bandwidthBps: number;
  maxDowntimeMs: number;
  setupMs?: number;
  /** Present = started with --auto-converge. */
  autoConverge?: AutoConvergeParams;
};

export type Prediction = {
  converges: boolean;
  /** A.2's n: iterative passes after the first full copy, the final stop-and-copy included. */
  passes: number;
  totalTimeMs: number | null;
  downtimeMs: number | null;
  bytesSent: number | null;
  /** D/B before any throttling. */
  lambda: number;
  /** Throttle reached (percent) when auto-converge was on. */
  finalThrottlePct?: number;
  reason: string;
};

/** Beyond these the answer is "does not converge" (a day-long migration is not a plan). */
export const MAX_PASSES = 10_000;
export const MAX_TIME_MS = 24 * 3600 * 1000;
/** migration_bitmap_sync(): rates and the throttle trigger are evaluated at most once a second. */
const TRIGGER_PERIOD_S = 1;

type Loop = {
  converged: boolean;
  passes: number;
  timeS: number;
  sent: number;
  lastVolume: number;
  throttle: number;
  /** Why the loop stopped without converging. */
  stop?: "steady" | "cap";
};

function validate(i: PredictInput): void {
  const bad = (what: string) => {
    throw new RangeError(`predictPrecopy: ${what}`);
  };
  if (!(i.memoryBytes > 0)) bad("memoryBytes must be > 0");
  if (!(i.bandwidthBps > 0)) bad("bandwidthBps must be > 0");
  if (!(i.dirtyRateBps >= 0)) bad("dirtyRateBps must be ≥ 0");
  if (!(i.maxDowntimeMs >= 0)) bad("maxDowntimeMs must be ≥ 0");
  if (i.workingSetBytes !== undefined && !(i.workingSetBytes >= 0)) bad("workingSetBytes must be ≥ 0");
}

function run(i: PredictInput): Loop {
  const M = i.memoryBytes;
  const D = i.dirtyRateBps;
  const W = Math.min(i.workingSetBytes ?? M, M);
  const B = i.bandwidthBps;
  const T = i.maxDowntimeMs / 1000;
  const ac = i.autoConverge;
  let t = (i.setupMs ?? 0) / 1000;
  let sent = 0;
  let V = M; // pass 0 sends all of memory
  let throttle = 0;
  let highCnt = 0;
  let periodStart = t; // the setup sync starts the first rate period
  let periodDirty = 0;
  let periodXfer = 0;
  for (let pass = 0; ; pass++) {
    // migration_iteration_run(): switch over as soon as pending / bandwidth < downtime limit.
    if (V === 0 || V / B < T) {
      return { converged: true, passes: pass, timeS: t + V / B, sent: sent + V, lastVolume: V, throttle };
    }
    if (pass >= MAX_PASSES || t * 1000 > MAX_TIME_MS) {
      return { converged: false, passes: pass, timeS: t, sent, lastVolume: V, throttle, stop: "cap" };
    }
    const dt = V / B;
    t += dt;
    sent += V;
    // Throttled vCPUs dirty proportionally less (A.4: D_eff = D·(1 − p)); the bitmap holds each
    // page once, so one pass can never find more than the hot set dirty.
    const next = Math.min(D * (1 - throttle / 100) * dt, W);
    periodDirty += next;
    periodXfer += V;
    const before = throttle;
    if (ac && t - periodStart > TRIGGER_PERIOD_S) {
      // migration_trigger_throttle(): two unproductive periods per step, then the counter resets.
      if (periodDirty > (periodXfer * ac.triggerThreshold) / 100 && ++highCnt >= 2) {
        highCnt = 0;
        throttle = Math.min(99, Math.max(1, throttle === 0 ? ac.initial : Math.min(throttle + ac.increment, ac.max)));
      }
      periodStart = t;
      periodDirty = 0;
      periodXfer = 0;
    }
    // Steady state: the next pass is no smaller and nothing will change any more, so it never ends.
    const throttleDone = !ac || throttle >= Math.min(99, ac.max);
    if (next >= V && throttle === before && throttleDone) {
      return { converged: false, passes: pass + 1, timeS: t, sent, lastVolume: next, throttle, stop: "steady" };
    }
    V = next;
  }
}

export function predictPrecopy(input: PredictInput): Prediction {
  validate(input);
  const r = run(input);
  const B = input.bandwidthBps;
  const lambda = input.dirtyRateBps / B;
  const W = Math.min(input.workingSetBytes ?? input.memoryBytes, input.memoryBytes);
  const throttle = input.autoConverge ? { finalThrottlePct: r.throttle } : {};
  if (r.converged) {
    const downtimeMs = (r.lastVolume / B) * 1000;
    const totalTimeMs = r.timeS * 1000;
    const ac = input.autoConverge && r.throttle > 0 ? `, guest throttled to ${r.throttle} %` : "";
    return {
      converges: true,
      passes: r.passes,
      totalTimeMs,
      downtimeMs,
      bytesSent: r.sent,
      lambda,
      ...throttle,
      reason: `Converges after ${r.passes} pass${r.passes === 1 ? "" : "es"} in ${duration(totalTimeMs)} (λ = ${ratio(lambda)}${ac}); downtime ≈ ${duration(downtimeMs)}, ${bytes(r.sent)} sent.`,
    };
  }
  const stuckDowntime = (r.lastVolume / B) * 1000;
  let reason: string;
  if (r.stop === "cap") {
    reason = `Does not finish within ${MAX_PASSES} passes or 24 h: λ = ${ratio(lambda)} is too close to 1 for ${duration(input.maxDowntimeMs)} of downtime.`;
  } else if (input.autoConverge) {
    reason = `Even at the ${r.throttle} % throttle cap the guest re-dirties ${bytes(r.lastVolume)} per pass, which needs ${duration(stuckDowntime)} of downtime > ${duration(input.maxDowntimeMs)}.`;
  } else if (lambda >= 1) {
    reason = `Dirty rate ${rate(input.dirtyRateBps)} ≥ bandwidth ${rate(B)} (λ = ${ratio(lambda)}) and the hot set ${bytes(W)} needs ${duration((W / B) * 1000)} of downtime > ${duration(input.maxDowntimeMs)}: pre-copy never converges.`;
  } else {
    reason = `Each pass leaves ${bytes(r.lastVolume)} dirty (${duration(stuckDowntime)} of downtime > ${duration(input.maxDowntimeMs)}) and passes stop shrinking: pre-copy never converges.`;
  }
  return { converges: false, passes: r.passes, totalTimeMs: null, downtimeMs: null, bytesSent: null, lambda, ...throttle, reason };
}

/** A.4's prediction of the throttle auto-converge settles at: p* = 1 − (threshold/100)·B/D (0 if none needed). */
export function predictedThrottle(dirtyRateBps: number, bandwidthBps: number, triggerThreshold = 50): number {
  if (!(dirtyRateBps > 0)) return 0;
  return Math.max(0, 1 - ((triggerThreshold / 100) * bandwidthBps) / dirtyRateBps);
}

/** Summary of a prediction in one line, e.g. for a what-if control. */
export function describePrediction(p: Prediction): string {
  if (!p.converges) return `No-go: ${p.reason}`;
  const t = p.finalThrottlePct ? `, throttle ${pct(p.finalThrottlePct / 100)}` : "";
  return `Go: ${p.passes} passes, ${duration(p.totalTimeMs ?? 0)}, downtime ${duration(p.downtimeMs ?? 0)}${t}`;
}

export type ConvergeFixKind = "raise-downtime" | "more-bandwidth" | "auto-converge" | "postcopy" | "suspend";

export type ConvergeFix = {
  kind: ConvergeFixKind;
  /** False when this fix cannot make it converge (the reason says why). */
  feasible: boolean;
  /** The setting it needs: ms (downtime), bytes/s (bandwidth), % (throttle reached); null if none. */
  value: number | null;
  outcome: { totalTimeMs: number | null; downtimeMs: number | null };
  reason: string;
  /** What the operator gives up, when it is more than time. */
  risk?: string;
};

export type WhatIfInput = PredictInput & {
  /** The fastest the link allows (NIC speed); no "more bandwidth" fix without it. */
  maxBandwidthBps?: number;
  /** Longest acceptable migration; default KubeVirt's 150 s per GiB (Nova's floor of 2 GiB). */
  timeBudgetMs?: number;
};

const GIB_BYTES = 1024 ** 3;

export function defaultTimeBudgetMs(memoryBytes: number): number {
  return 150_000 * Math.max(2, memoryBytes / GIB_BYTES);
}

/** Smallest x in (lo, hi] with ok(x), assuming ok is monotone; searched geometrically. */
function smallest(lo: number, hi: number, ok: (x: number) => boolean): number | null {
  if (!ok(hi)) return null;
  let a = lo;
  let b = hi;
  for (let k = 0; k < 60 && b / a > 1.001; k++) {
    const m = Math.sqrt(a * b);
    if (ok(m)) b = m;
    else a = m;
  }
  return b;
}

/**
 * What would make this migration converge within the time budget, least disruptive first:
 * a longer max downtime, more bandwidth, auto-converge, post-copy, suspending the guest.
 * Empty when it already converges in time.
 */
export function whatWouldConverge(input: WhatIfInput): ConvergeFix[] {
  const budget = input.timeBudgetMs ?? defaultTimeBudgetMs(input.memoryBytes);
  const fits = (p: Prediction) => p.converges && (p.totalTimeMs ?? Infinity) <= budget;
  if (fits(predictPrecopy(input))) return [];
  const M = input.memoryBytes;
  const B = input.bandwidthBps;
  const W = Math.min(input.workingSetBytes ?? M, M);
  const within = `within ${duration(budget)}`;
  const fixes: ConvergeFix[] = [];
  const outcome = (p: Prediction) => ({ totalTimeMs: p.totalTimeMs, downtimeMs: p.downtimeMs });

  // 1. Max downtime: the pause the guest gets anyway, made long enough (W/B for a hot set).
  const T = smallest(Math.max(1, input.maxDowntimeMs), 2_000_000, (ms) => fits(predictPrecopy({ ...input, maxDowntimeMs: ms })));
  if (T === null) {
    fixes.push({ kind: "raise-downtime", feasible: false, value: null, outcome: { totalTimeMs: null, downtimeMs: null }, reason: `No max downtime up to QEMU's 2000 s finishes ${within}.` });
  } else {
    const ms = Math.ceil(T / 10) * 10;
    const p = predictPrecopy({ ...input, maxDowntimeMs: ms });
    const long = ms > 2000 ? " A pause that long can break TCP sessions and cluster heartbeats." : "";
    fixes.push({ kind: "raise-downtime", feasible: true, value: ms, outcome: outcome(p), reason: `Raise max downtime to ${duration(ms)} (hot set ${bytes(W)} at ${rate(B)}): done in ${duration(p.totalTimeMs ?? 0)}.${long}` });
  }

  // 2. Bandwidth, up to what the NIC allows.
  const nic = input.maxBandwidthBps;
  const bw = nic && nic > B ? smallest(B, nic, (b) => fits(predictPrecopy({ ...input, bandwidthBps: b }))) : null;
  if (bw === null) {
    const why = nic && nic > B ? `even the link's ${rate(nic)} does not finish ${within}` : "already at the link's speed";
    fixes.push({ kind: "more-bandwidth", feasible: false, value: null, outcome: { totalTimeMs: null, downtimeMs: null }, reason: `More bandwidth: ${why}.` });
  } else {
    const p = predictPrecopy({ ...input, bandwidthBps: bw });
    fixes.push({ kind: "more-bandwidth", feasible: true, value: bw, outcome: outcome(p), reason: `Give it at least ${rate(bw)} (now ${rate(B)}): done in ${duration(p.totalTimeMs ?? 0)}, downtime ≈ ${duration(p.downtimeMs ?? 0)}.` });
  }

  // 3. Auto-converge: the throttle settles near p* = 1 − 0.5·B/D (A.4).
  const ac = input.autoConverge ?? { initial: 20, increment: 10, max: 99, triggerThreshold: 50 };
  const pAc = predictPrecopy({ ...input, autoConverge: ac });
  const pStar = predictedThrottle(input.dirtyRateBps, B, ac.triggerThreshold);
  const already = input.autoConverge ? "Already on: " : "";
  fixes.push(
    fits(pAc)
      ? { kind: "auto-converge", feasible: true, value: pAc.finalThrottlePct ?? 0, outcome: outcome(pAc), reason: `${already}auto-converge slows the guest's vCPUs to ≈ ${pAc.finalThrottlePct} % throttle (p* ≈ ${pct(pStar)}): done in ${duration(pAc.totalTimeMs ?? 0)}.`, risk: "The guest runs slower until the switchover." }
      : { kind: "auto-converge", feasible: false, value: pAc.finalThrottlePct ?? null, outcome: outcome(pAc), reason: `${already}auto-converge does not finish ${within}: ${pAc.reason}` },
  );

  // 4. Post-copy after one full pass: bounded traffic (M + what the first pass left dirty).
  const setup = input.setupMs ?? 0;
  const firstDirty = Math.min(input.dirtyRateBps * (M / B), W);
  const pcTime = setup + ((M + firstDirty) / B) * 1000;
  fixes.push({ kind: "postcopy", feasible: true, value: null, outcome: { totalTimeMs: pcTime, downtimeMs: null }, reason: `Post-copy after the first pass: done in ≈ ${duration(pcTime)} whatever the dirty rate; the guest runs on the destination and faults ${bytes(firstDirty)} in over the link.`, risk: "A failure of either host or the link during post-copy loses the guest." });

  // 5. Suspend after the first pass: the guest stops while what is dirty crosses.
  const sDown = (firstDirty / B) * 1000;
  fixes.push({ kind: "suspend", feasible: true, value: null, outcome: { totalTimeMs: setup + (M / B) * 1000 + sDown, downtimeMs: sDown }, reason: `Suspend the guest after the first pass: paused ≈ ${duration(sDown)} while ${bytes(firstDirty)} crosses.`, risk: "The guest is paused until the copy lands." });
  return fixes;
}
