// Analytic pre-copy predictor: iterates the passes exactly as QEMU runs them (migration-physics A.2,
// A.3, A.4) instead of using the closed form, so a working-set cap, auto-converge's throttle steps,
// zero pages and QEMU's mid-pass switchover fall out of the same loop. Pure and deterministic.
import { bytes, duration, pct, rate, ratio } from "./text";
import type { AutoConvergeParams } from "./types";

export type PredictInput = {
  /** Memory that must actually be sent: non-zero pages (configured RAM overstates it, often 3×). */
  memoryBytes: number;
  /** Zero pages of RAM: scanned in the first pass at 9 bytes each on the wire (save_zero_page). */
  zeroBytes?: number;
  /** Live: what is left of the pass in flight (default: all of memoryBytes, a fresh start). */
  firstPassBytes?: number;
  dirtyRateBps: number;
  /** Hot set: the most one pass can dirty. Defaults to all of memory. */
  workingSetBytes?: number;
  bandwidthBps: number;
  /** Rate of the final flush, which ignores the cap (ram_save_complete): the path's throughput. */
  flushBps?: number;
  maxDowntimeMs: number;
  /** Device state sent after RAM while the guest is stopped; part of the downtime. */
  deviceStateMs?: number;
  setupMs?: number;
  /** Present = started with --auto-converge. */
  autoConverge?: AutoConvergeParams;
  /** Throttle already reached (live), percent. */
  throttlePct?: number;
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
/** Device state after the RAM flush; lab s2b: 28 ms of downtime when almost no RAM was left. */
export const DEFAULT_DEVICE_STATE_MS = 25;
/** migration_bitmap_sync(): rates and the throttle trigger are evaluated at most once a second. */
const TRIGGER_PERIOD_S = 1;
/** BUFFER_DELAY: QEMU re-checks "pending < bandwidth × downtime limit" every 100 ms of a pass. */
const CHECK_S = 0.1;
const ZERO_PAGE_WIRE = 9 / 4096;

type Loop = {
  converged: boolean;
  passes: number;
  timeS: number;
  sent: number;
  /** Pending at the switchover (converged) or the pass volume it got stuck at. */
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

type Pass = { t0: number; V: number; Z: number; first: boolean; D: number; W: number; B: number; limit: number };

/**
 * migration_iteration_run() inside a pass: on QEMU's 100 ms grid it asks whether a sync now would
 * leave pending < B·T, and if so stops the guest. Pending = what is unsent + what was dirtied since
 * the pass began and is not already among the unsent pages. Returns seconds into the pass and the
 * bytes the final flush sends.
 */
function midPassSwitch(p: Pass): { s: number; flushBytes: number } | null {
  const wire = p.V + p.Z * ZERO_PAGE_WIRE;
  const dt = wire / p.B;
  const firstTick = Math.floor(p.t0 / CHECK_S + 1e-9) + 1;
  const ticks = Math.floor((p.t0 + dt) / CHECK_S - 1e-9) - firstTick + 1;
  const stride = Math.max(1, Math.ceil(ticks / 400)); // very long passes: every n-th tick is enough
  for (let k = 0; k < ticks; k += stride) {
    const s = (firstTick + k) * CHECK_S - p.t0;
    const done = s / dt;
    const unsent = (p.V + p.Z) * (1 - done);
    // Pass 0 covers all RAM uniformly; later passes are hot pages only (sim/physics ram-passes).
    const overlap = p.first ? 1 - done : p.W > 0 ? Math.min(1, (p.V * (1 - done)) / p.W) : 0;
    const dirty = Math.min(p.D * s, p.W) * (1 - overlap);
    // QEMU counts unsent zero pages as pending too (ram_bytes_remaining), though they cost 9 bytes.
    if (unsent + dirty < p.limit) return { s, flushBytes: wire * (1 - done) + dirty };
  }
  return null;
}

function run(i: PredictInput): Loop {
  const M = i.memoryBytes;
  const D = i.dirtyRateBps;
  const W = Math.min(i.workingSetBytes ?? M, M);
  const B = i.bandwidthBps;
  const flush = Math.max(B, i.flushBps ?? B);
  const limit = (B * i.maxDowntimeMs) / 1000;
  const finish = (V: number) => V / flush + (i.deviceStateMs ?? DEFAULT_DEVICE_STATE_MS) / 1000;
  const ac = i.autoConverge;
  let t = (i.setupMs ?? 0) / 1000;
  let sent = 0;
  let V = Math.min(i.firstPassBytes ?? M, M);
  let Z = i.firstPassBytes === undefined ? Math.max(0, i.zeroBytes ?? 0) : 0;
  let throttle = i.throttlePct ?? 0;
  let highCnt = 0;
  let periodStart = t; // the setup sync starts the first rate period
  let periodDirty = 0;
  let periodXfer = 0;
  for (let pass = 0; ; pass++) {
    const done = (V2: number, extraS: number, extraSent: number) => ({
      converged: true,
      passes: pass,
      timeS: t + extraS + finish(V2),
      sent: sent + extraSent + V2,
      lastVolume: V2,
      throttle,
    });
    // A fresh job has no bandwidth figure (threshold 0) until its first 100 ms window.
    const fresh = pass === 0 && i.firstPassBytes === undefined;
    if (V + Z === 0 || (!fresh && V + Z < limit)) return done(V + Z * ZERO_PAGE_WIRE, 0, 0);
    if (pass >= MAX_PASSES || t * 1000 > MAX_TIME_MS) {
      return { converged: false, passes: pass, timeS: t, sent, lastVolume: V, throttle, stop: "cap" };
    }
    const wire = V + Z * ZERO_PAGE_WIRE;
    const dt = wire / B;
    // Throttled vCPUs dirty proportionally less (A.4: D_eff = D·(1 − p)); the bitmap holds each
    // page once, so one pass can never find more than the hot set dirty.
    const Deff = D * (1 - throttle / 100);
    const next = Math.min(Deff * dt, W);
    // A mid-pass switch needs pending near B·T; pending never dips below ¾ of the smaller end.
    if (Math.min(V + Z, next) * 0.75 < limit) {
      const mid = midPassSwitch({ t0: t, V, Z, first: fresh, D: Deff, W, B, limit });
      if (mid) return { ...done(mid.flushBytes, mid.s, mid.s * B), passes: pass + 1 };
    }
    t += dt;
    sent += wire;
    Z = 0;
    periodDirty += next;
    periodXfer += wire;
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
    if (next >= V && next >= limit && throttle === before && throttleDone) {
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
    const flush = Math.max(B, input.flushBps ?? B);
    const downtimeMs = (r.lastVolume / flush) * 1000 + (input.deviceStateMs ?? DEFAULT_DEVICE_STATE_MS);
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
  return {
    converges: false,
    passes: r.passes,
    totalTimeMs: null,
    downtimeMs: null,
    bytesSent: null,
    lambda,
    ...throttle,
    reason,
  };
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

const GIB_BYTES = 1024 ** 3;

export function defaultTimeBudgetMs(memoryBytes: number): number {
  return 150_000 * Math.max(2, memoryBytes / GIB_BYTES);
}
