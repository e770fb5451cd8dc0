// Convergence verdict of a running migration: converging (with ETA) / stalled / won't converge.
//
// Parameters, and why:
// - Progress is the volume each pass *starts* with (the dirty set found at the sync, see passes.ts),
//   not the raw minimum of remaining bytes, which is a saw-tooth whose troughs only show where a
//   1 Hz sample landed. A pass makes a new low-water mark when it starts ≥ 4 % below the previous
//   low (KubeVirt's StallMargin idea), so measurement jitter is not progress.
// - stallPasses N = 2: two passes in a row without a 4 % new low means the per-pass ratio is above
//   0.96^(1/2) ≈ 0.98, i.e. > 100 more passes to reach a few-hundred-ms budget from a hot set: no
//   useful convergence. On the lab's s2a the stall rule alone fires 15.5 s after the plateau began
//   (27.0 s into the job), inside the 30 s target; N = 3 would wait another whole pass (7–25 s at
//   lab speeds). A pass-count rule also scales with the link: fast links get fast verdicts.
// - stallSeconds = 30: the target. It only counts once a pass boundary failed to make a new
//   low — within one pass no new low is possible, and a long first re-sync is not a stall.
// - Won't converge: the expected downtime stays ≥ 4× max downtime and the smoothed λ (EWMA α = 0.4
//   over passes of dirtied/transferred per sync period) is ≥ 1 — or ≥ 0.95 with pass volumes
//   shrinking < 4 % a pass. The 0.95 band exists because QEMU's dirty rate is "dirtied over the last
//   sync period": a hot set re-dirtied every pass reads ≈ the transfer rate (λ ≈ 0.97–1.0 in the
//   lab), never clearly above it; the volume check keeps a genuine λ = 0.95 guest "converging".
// - Auto-converge: while the throttle is still rising (QEMU needs 2 syncs per step) a flat pass
//   volume is expected, not a stall; the verdict is "converging" unless even the max throttle cannot
//   bring the dirty rate under half the bandwidth. Once the throttle stops rising, normal rules apply.
import { estimateCompletion } from "./live-estimate";
import { type PassSummary, recentTransferRate, smoothedLambda, summarizePasses } from "./passes";
import {
  ALPHA,
  lowWater,
  passDowntimeMs,
  SATURATED_LAMBDA,
  stallTrip,
  throttleIncrement,
  wontConvergeSince,
} from "./stall-rules";
import { bytes, duration, pct, rate, ratio } from "./text";
import type { MigrationSample } from "./types";

export type Verdict = "converging" | "stalled" | "wont-converge" | "too-early" | "postcopy";

/**
 * In post-copy the convergence rules no longer apply: the guest already runs on the destination
 * (source `paused (post-copy)`, destination `running (post-copy)` in libvirt 9.0) and faults in
 * the pages it still misses, while QEMU's "expected downtime" is meaningless. Nothing makes it
 * faster but bandwidth, and nothing can abort it.
 */
export function postcopyAssessment(destination: string, sinceMs: number | null): ConvergenceAssessment {
  return {
    verdict: "postcopy",
    since: sinceMs,
    reason: `Running on ${destination}, pulling the rest of its memory from the source (post-copy cannot be aborted).`,
    etaMs: null,
    lambda: null,
    expectedDowntimeMs: null,
    passesSinceLow: 0,
    throttleRamping: false,
  };
}

export type ConvergenceAssessment = {
  verdict: Verdict;
  /** When the condition behind the verdict began (same clock as sample.atMs); null if unknown. */
  since: number | null;
  reason: string;
  /** ms after the last sample until the switchover completes; null when not converging. */
  etaMs: number | null;
  lambda: number | null;
  /** Downtime the switchover would take now (ms); null before the first re-sync. */
  expectedDowntimeMs: number | null;
  passesSinceLow: number;
  /** Auto-converge is still stepping the throttle up. */
  throttleRamping: boolean;
};

export type AssessOptions = {
  nowMs: number;
  maxDowntimeMs: number;
  stallPasses?: number;
  stallSeconds?: number;
  stallMargin?: number;
  /** Started with --auto-converge (a non-zero throttle in the samples implies it anyway). */
  autoConverge?: boolean;
  maxThrottlePct?: number;
  /** Set when the operator suspended the source guest to let the copy finish. */
  pausedAtMs?: number;
};

export const STALL_DEFAULTS = { stallPasses: 2, stallSeconds: 30, stallMargin: 0.04 } as const;
/** QEMU steps the throttle every 2 syncs; one pass of slack before calling the ramp finished. */
const RAMP_WINDOW_PASSES = 3;

type Base = Omit<ConvergenceAssessment, "verdict" | "since" | "reason" | "etaMs">;

type Options = AssessOptions & Required<Pick<AssessOptions, keyof typeof STALL_DEFAULTS>>;
const NONE: Base = { lambda: null, expectedDowntimeMs: null, passesSinceLow: 0, throttleRamping: false };

export function assessConvergence(samples: readonly MigrationSample[], opts: AssessOptions): ConvergenceAssessment {
  const o: Options = { ...STALL_DEFAULTS, ...opts };
  const data = samples.filter((s) => s.totalBytes > 0);
  const last = data[data.length - 1];
  if (!last)
    return {
      ...NONE,
      verdict: "too-early",
      since: null,
      etaMs: null,
      reason: "No memory statistics yet (the job is setting up).",
    };
  const B = recentTransferRate(data);
  if (B === null || o.nowMs - lastMoveAt(data, last) >= o.stallSeconds * 1000) return notMoving(data, last, o);

  const est = estimateCompletion(samples, { maxDowntimeMs: o.maxDowntimeMs });
  if (last.postcopyRequests > 0) {
    const since = data.find((s) => s.postcopyRequests > 0)!.atMs;
    return {
      ...NONE,
      verdict: "converging",
      since,
      etaMs: est.etaMs,
      reason: `Post-copy: the guest runs on the destination; ${bytes(last.remainingBytes)} left at ${rate(B)}.`,
    };
  }
  const passes = summarizePasses(samples);
  const current = passes[passes.length - 1]!;
  if (o.pausedAtMs !== undefined && o.nowMs >= o.pausedAtMs) return pausedVerdict(passes, last, B, o.pausedAtMs);
  if (passes.length === 1 && current.bulk) {
    const left = `${bytes(last.remainingBytes)} of ${bytes(last.totalBytes)} left at ${rate(B)}`;
    return {
      ...NONE,
      verdict: "too-early",
      since: null,
      etaMs: est.etaMs,
      reason: `First full copy of memory (${left}); the dirty rate is measured at the first re-sync.`,
    };
  }
  return passVerdict(passes, last, B, est.etaMs, o);
}

/** When the processed bytes last grew (the last sample's time if they never stood still). */
function lastMoveAt(data: readonly MigrationSample[], last: MigrationSample): number {
  let movedAt = last.atMs;
  for (let i = data.length - 2; i >= 0 && data[i]!.processedBytes >= last.processedBytes; i--) movedAt = data[i]!.atMs;
  return movedAt;
}

/** Nothing moved for stallSeconds (a stuck link or destination, whatever the phase), or no rate yet. */
function notMoving(data: readonly MigrationSample[], last: MigrationSample, o: Options): ConvergenceAssessment {
  const movedAt = lastMoveAt(data, last);
  if (o.nowMs - movedAt >= o.stallSeconds * 1000)
    return {
      ...NONE,
      verdict: "stalled",
      since: movedAt + o.stallSeconds * 1000,
      etaMs: null,
      reason: `No data moved for ${duration(o.nowMs - movedAt)}: the link or the destination is stuck.`,
    };
  return { ...NONE, verdict: "too-early", since: null, etaMs: null, reason: "No transfer rate reported yet." };
}

/** The dirty set the passes keep finding (the largest re-sync), 0 before the first. */
const hotSetOf = (passes: PassSummary[]) => Math.max(...passes.filter((p) => !p.bulk).map((p) => p.volumeBytes), 0);

/** Suspended: the guest dirties nothing more; at most one more pass (what it dirtied before the pause). */
function pausedVerdict(
  passes: PassSummary[],
  last: MigrationSample,
  B: number,
  pausedAtMs: number,
): ConvergenceAssessment {
  const current = passes[passes.length - 1]!;
  const more = pausedAtMs > current.startAtMs ? hotSetOf(passes) || current.volumeBytes : 0;
  return {
    ...NONE,
    lambda: smoothedLambda(passes, ALPHA),
    expectedDowntimeMs: current.bulk ? null : passDowntimeMs(current, B),
    verdict: "converging",
    since: pausedAtMs,
    etaMs: Math.round(((last.remainingBytes + more) / B) * 1000),
    reason: `Guest paused: ${bytes(last.remainingBytes + more)} at most left to copy at ${rate(B)}.`,
  };
}

/** After the first re-sync: auto-converge still ramping, won't converge, stalled, or converging. */
function passVerdict(
  passes: PassSummary[],
  last: MigrationSample,
  B: number,
  etaMs: number | null,
  o: Options,
): ConvergenceAssessment {
  const current = passes[passes.length - 1]!;
  const lambda = smoothedLambda(passes, ALPHA);
  const expectedDowntimeMs = current.bulk ? null : passDowntimeMs(current, B);
  const lowIdx = lowWater(passes, o.stallMargin);
  const low = passes[lowIdx]!;
  const passesSinceLow = current.iteration - low.iteration;
  const base: Base = { lambda, expectedDowntimeMs, passesSinceLow, throttleRamping: false };
  const lam = lambda === null ? "λ unknown" : `λ = ${ratio(lambda)}`;
  const overBudget =
    expectedDowntimeMs === null
      ? ""
      : `expected downtime ${duration(expectedDowntimeMs)} vs max ${duration(o.maxDowntimeMs)}`;

  const ramp = rampingVerdict(passes, last, B, o);
  if (ramp) return { ...base, ...ramp, since: low.startAtMs, reason: `${ramp.reason} (${lam}).` };

  const wontSince = wontConvergeSince(passes, B, o.maxDowntimeMs, o.stallMargin);
  if (wontSince !== null && lambda !== null) {
    const { acOn, maxThrottle } = autoConvergeOf(passes, o);
    const ac = acOn && last.throttlePct >= maxThrottle ? ` even at the ${last.throttlePct} % throttle cap` : "";
    return {
      ...base,
      verdict: "wont-converge",
      since: wontSince,
      etaMs: null,
      reason: `Dirty rate ≥ transfer rate${ac} (${lam}): each pass re-sends ≈ ${bytes(current.volumeBytes)}; ${overBudget}.`,
    };
  }

  const trip = stallTrip(passes, lowIdx, o.nowMs, o.stallPasses, o.stallSeconds);
  if (trip !== null) {
    return {
      ...base,
      verdict: "stalled",
      since: trip,
      etaMs: null,
      reason: `No new low of remaining bytes for ${passesSinceLow} pass${passesSinceLow === 1 ? "" : "es"} (${duration(o.nowMs - low.startAtMs)}): each pass starts at ≈ ${bytes(current.volumeBytes)}, never ${pct(o.stallMargin)} below the low of ${bytes(low.volumeBytes)}; ${overBudget}.`,
    };
  }

  const eta = etaMs === null ? "" : `, switchover in ≈ ${duration(etaMs)}`;
  return {
    ...base,
    verdict: "converging",
    since: low.startAtMs,
    etaMs,
    reason: `Pass volumes are falling (${lam}, now ${bytes(current.volumeBytes)})${eta}.`,
  };
}

/** A throttle in the samples proves auto-converge is on, whatever the caller believed. */
function autoConvergeOf(passes: PassSummary[], o: Options): { acOn: boolean; maxThrottle: number } {
  return {
    acOn: o.autoConverge === true || passes.some((p) => p.throttlePct > 0),
    maxThrottle: o.maxThrottlePct ?? 99,
  };
}

/**
 * Auto-converge still stepping the throttle up: a flat pass volume is the expected shape, so the
 * verdict is "converging" (with the ramp's ETA) unless even the max throttle is not enough; null
 * when not ramping. Only while the guest still dirties ≈ what is sent: once the throttle bites (λ
 * falls), pass volumes shrink and the ordinary rules and geometric estimate take over.
 */
function rampingVerdict(
  passes: PassSummary[],
  last: MigrationSample,
  B: number,
  o: Options,
): Pick<ConvergenceAssessment, "verdict" | "etaMs" | "reason" | "throttleRamping"> | null {
  const current = passes[passes.length - 1]!;
  const throttle = last.throttlePct;
  const { acOn, maxThrottle } = autoConvergeOf(passes, o);
  const riseIter =
    [...passes].reverse().find((p, i, arr) => p.throttlePct > (arr[i + 1]?.throttlePct ?? 0))?.iteration ??
    passes[0]!.iteration;
  const bitten = current.lambda !== null && current.lambda < SATURATED_LAMBDA;
  const ramping = acOn && throttle < maxThrottle && !bitten && current.iteration - riseIter <= RAMP_WINDOW_PASSES;
  if (!ramping) return null;
  // The reported dirty rate is capped by hot set / pass time, so D/(1 − p) is a lower bound on the
  // guest's real rate and p* = 1 − 0.5·B/D (A.4) a lower bound on the throttle it needs.
  const dTrue = current.dirtyRateBps / Math.max(0.01, 1 - throttle / 100);
  const pStar = dTrue > 0 ? Math.max(0, 1 - (0.5 * B) / dTrue) : 0;
  if (pStar * 100 > maxThrottle) return null;
  // ETA: finish this pass, two passes per remaining step, then a short geometric tail (λ ≤ 0.5).
  const passMs = passes.length > 1 ? (current.startAtMs - passes[0]!.startAtMs) / (passes.length - 1) : 0;
  const steps = Math.max(0, Math.ceil((pStar * 100 - throttle) / throttleIncrement(passes)));
  return {
    verdict: "converging",
    throttleRamping: true,
    etaMs: Math.round((last.remainingBytes / B) * 1000 + steps * 2 * passMs + (2 * current.volumeBytes * 1000) / B),
    reason: `Auto-converge is stepping the throttle up (${throttle} % now, at least ≈ ${pct(pStar)} needed); pass volumes fall once it bites`,
  };
}
