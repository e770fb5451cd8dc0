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
import { type Fix, type FixKind, rankFixes } from "./fixes";
import { estimateCompletion } from "./live-estimate";
import type { OperatorAction } from "./operator-actions";
import { type PassSummary, recentTransferRate, smoothedLambda, summarizePasses } from "./passes";
import { bytes, duration, pct, rate, ratio } from "./text";
import { type MigrationSample, QEMU_AUTO_CONVERGE } from "./types";
import type { WhatIfOutcome, WhatIfState } from "./what-if";

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
export const SATURATED_LAMBDA = 0.95;
export const FAR_ABOVE_FACTOR = 4;
const ALPHA = 0.4;
/** QEMU steps the throttle every 2 syncs; one pass of slack before calling the ramp finished. */
const RAMP_WINDOW_PASSES = 3;

type Base = Omit<ConvergenceAssessment, "verdict" | "since" | "reason" | "etaMs">;

function lowWater(passes: PassSummary[], margin: number) {
  let idx = 0;
  for (let i = 1; i < passes.length; i++) if (passes[i]!.volumeBytes < passes[idx]!.volumeBytes * (1 - margin)) idx = i;
  return idx;
}

/** The throttle step seen so far (the last rise), else QEMU's default increment. */
function throttleIncrement(passes: PassSummary[]): number {
  const levels = [...new Set(passes.map((p) => p.throttlePct).filter((t) => t > 0))];
  const n = levels.length;
  return n >= 2 ? Math.max(1, levels[n - 1]! - levels[n - 2]!) : 10;
}

/** When the stall criterion tripped (N passes without a new low, or 30 s after a failed pass). */
function stallTrip(passes: PassSummary[], lowIdx: number, nowMs: number, n: number, seconds: number): number | null {
  const low = passes[lowIdx]!;
  const after = passes.slice(lowIdx + 1);
  if (after.length === 0) return null;
  const byPasses = after.find((p) => p.iteration - low.iteration >= n)?.startAtMs ?? Infinity;
  const byTime = Math.max(low.startAtMs + seconds * 1000, after[0]!.startAtMs);
  const trip = Math.min(byPasses, byTime);
  return trip <= nowMs ? trip : null;
}

/** Expected downtime per pass: QEMU's figure, or volume / bandwidth when QEMU has not caught up yet. */
function passDowntimeMs(p: PassSummary, B: number): number {
  return Math.max(p.expectedDowntimeMs, (p.volumeBytes / B) * 1000);
}

/**
 * Start of the run of trailing passes over which "won't converge" has held, or null. It holds when
 * the expected downtime is ≥ 4× the max and either λ ≥ 1 (pass volumes cannot shrink) or λ is in the
 * saturation band [0.95, 1) and the volumes confirm it: since the first re-sync they shrank by less
 * than the 4 % margin per pass (a genuine λ = 0.95 guest shrinks 5 % a pass and stays "converging").
 */
function wontConvergeSince(passes: PassSummary[], B: number, maxDowntimeMs: number, margin: number): number | null {
  let since: number | null = null;
  let ref: PassSummary | null = null;
  passes.forEach((p, i) => {
    if (p.lambda === null) return;
    const acc = smoothedLambda(passes.slice(0, i + 1), ALPHA)!;
    ref ??= p;
    const k = p.iteration - ref.iteration;
    const perPass = k > 0 && ref.volumeBytes > 0 ? (p.volumeBytes / ref.volumeBytes) ** (1 / k) : null;
    const flat = perPass !== null && perPass > 1 - margin;
    const holds =
      passDowntimeMs(p, B) >= FAR_ABOVE_FACTOR * maxDowntimeMs && (acc >= 1 || (acc >= SATURATED_LAMBDA && flat));
    since = holds ? (since ?? p.startAtMs) : null;
  });
  return since;
}

export function assessConvergence(samples: readonly MigrationSample[], opts: AssessOptions): ConvergenceAssessment {
  const o = { ...STALL_DEFAULTS, ...opts };
  const data = samples.filter((s) => s.totalBytes > 0);
  const last = data[data.length - 1];
  const B = recentTransferRate(data);
  const none: Base = { lambda: null, expectedDowntimeMs: null, passesSinceLow: 0, throttleRamping: false };
  if (!last)
    return {
      ...none,
      verdict: "too-early",
      since: null,
      etaMs: null,
      reason: "No memory statistics yet (the job is setting up).",
    };

  // Nothing moved at all: a stuck link or destination, whatever the phase.
  let movedAt = last.atMs;
  for (let i = data.length - 2; i >= 0 && data[i]!.processedBytes >= last.processedBytes; i--) movedAt = data[i]!.atMs;
  if (B === null || o.nowMs - movedAt >= o.stallSeconds * 1000) {
    const quiet = o.nowMs - movedAt >= o.stallSeconds * 1000;
    if (quiet)
      return {
        ...none,
        verdict: "stalled",
        since: movedAt + o.stallSeconds * 1000,
        etaMs: null,
        reason: `No data moved for ${duration(o.nowMs - movedAt)}: the link or the destination is stuck.`,
      };
    return { ...none, verdict: "too-early", since: null, etaMs: null, reason: "No transfer rate reported yet." };
  }

  const est = estimateCompletion(samples, { maxDowntimeMs: o.maxDowntimeMs });
  if (last.postcopyRequests > 0) {
    const since = data.find((s) => s.postcopyRequests > 0)!.atMs;
    return {
      ...none,
      verdict: "converging",
      since,
      etaMs: est.etaMs,
      reason: `Post-copy: the guest runs on the destination; ${bytes(last.remainingBytes)} left at ${rate(B)}.`,
    };
  }

  const passes = summarizePasses(samples);
  const current = passes[passes.length - 1]!;
  const lambda = smoothedLambda(passes, ALPHA);
  const expectedDowntimeMs = current.bulk ? null : passDowntimeMs(current, B);
  const hotSet = Math.max(...passes.filter((p) => !p.bulk).map((p) => p.volumeBytes), 0);

  if (o.pausedAtMs !== undefined && o.nowMs >= o.pausedAtMs) {
    // Suspended: the guest dirties nothing more; at most one more pass (what it dirtied before the pause).
    const more = o.pausedAtMs > current.startAtMs ? hotSet || current.volumeBytes : 0;
    const etaMs = Math.round(((last.remainingBytes + more) / B) * 1000);
    return {
      ...none,
      lambda,
      expectedDowntimeMs,
      verdict: "converging",
      since: o.pausedAtMs,
      etaMs,
      reason: `Guest paused: ${bytes(last.remainingBytes + more)} at most left to copy at ${rate(B)}.`,
    };
  }

  if (passes.length === 1 && current.bulk) {
    const left = `${bytes(last.remainingBytes)} of ${bytes(last.totalBytes)} left at ${rate(B)}`;
    return {
      ...none,
      verdict: "too-early",
      since: null,
      etaMs: est.etaMs,
      reason: `First full copy of memory (${left}); the dirty rate is measured at the first re-sync.`,
    };
  }

  const lowIdx = lowWater(passes, o.stallMargin);
  const low = passes[lowIdx]!;
  const passesSinceLow = current.iteration - low.iteration;
  const base: Base = { lambda, expectedDowntimeMs, passesSinceLow, throttleRamping: false };
  const lam = lambda === null ? "λ unknown" : `λ = ${ratio(lambda)}`;
  const overBudget =
    expectedDowntimeMs === null
      ? ""
      : `expected downtime ${duration(expectedDowntimeMs)} vs max ${duration(o.maxDowntimeMs)}`;

  // Auto-converge still stepping the throttle up: a flat pass volume is the expected shape.
  const throttle = last.throttlePct;
  // A throttle in the samples proves auto-converge is on, whatever the caller believed.
  const acOn = o.autoConverge === true || passes.some((p) => p.throttlePct > 0);
  const maxThrottle = o.maxThrottlePct ?? 99;
  const riseIter =
    [...passes].reverse().find((p, i, arr) => p.throttlePct > (arr[i + 1]?.throttlePct ?? 0))?.iteration ??
    passes[0]!.iteration;
  // Only while the guest still dirties ≈ what is sent: once the throttle bites (λ falls), pass
  // volumes shrink and the ordinary rules and geometric estimate take over.
  const bitten = current.lambda !== null && current.lambda < SATURATED_LAMBDA;
  const ramping = acOn && throttle < maxThrottle && !bitten && current.iteration - riseIter <= RAMP_WINDOW_PASSES;
  if (ramping) {
    // The reported dirty rate is capped by hot set / pass time, so D/(1 − p) is a lower bound on the
    // guest's real rate and p* = 1 − 0.5·B/D (A.4) a lower bound on the throttle it needs.
    const dTrue = current.dirtyRateBps / Math.max(0.01, 1 - throttle / 100);
    const pStar = dTrue > 0 ? Math.max(0, 1 - (0.5 * B) / dTrue) : 0;
    if (pStar * 100 <= maxThrottle) {
      // ETA: finish this pass, two passes per remaining step, then a short geometric tail (λ ≤ 0.5).
      const passMs = passes.length > 1 ? (current.startAtMs - passes[0]!.startAtMs) / (passes.length - 1) : 0;
      const steps = Math.max(0, Math.ceil((pStar * 100 - throttle) / throttleIncrement(passes)));
      const etaMs = Math.round(
        (last.remainingBytes / B) * 1000 + steps * 2 * passMs + (2 * current.volumeBytes * 1000) / B,
      );
      return {
        ...base,
        throttleRamping: true,
        verdict: "converging",
        since: low.startAtMs,
        etaMs,
        reason: `Auto-converge is stepping the throttle up (${throttle} % now, at least ≈ ${pct(pStar)} needed); pass volumes fall once it bites (${lam}).`,
      };
    }
  }

  const wontSince = wontConvergeSince(passes, B, o.maxDowntimeMs, o.stallMargin);
  if (wontSince !== null && lambda !== null) {
    const ac = acOn && throttle >= maxThrottle ? ` even at the ${throttle} % throttle cap` : "";
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

  const eta = est.etaMs === null ? "" : `, switchover in ≈ ${duration(est.etaMs)}`;
  return {
    ...base,
    verdict: "converging",
    since: low.startAtMs,
    etaMs: est.etaMs,
    reason: `Pass volumes are falling (${lam}, now ${bytes(current.volumeBytes)})${eta}.`,
  };
}

export type FixOptions = {
  autoConverge: boolean;
  postcopyArmed: boolean;
  /** The engine's state from the samples (lib/migration/live-state); null = not enough data yet. */
  state: WhatIfState | null;
  /** Fixes applied to this migration that were checked and did not help (lib/migration/fix-check). */
  didNotHelp?: ReadonlySet<FixKind>;
};

export type FixSuggestion = {
  action: OperatorAction;
  /** Pauses, slows or risks the guest, or throws work away: the UI asks for confirmation. */
  disruptive: boolean;
  reason: string;
  /** Suggested values: `ms` (max downtime), `bps` (bandwidth), `initial`/`increment` (throttle %). */
  params?: Record<string, number>;
  /** What the what-if engine predicts if it is applied; null for abort. */
  outcome: WhatIfOutcome | null;
};

export type FixAdvice = { fixes: FixSuggestion[]; wontHelp: FixSuggestion[] };

function toSuggestion(f: Fix): FixSuggestion {
  const a = f.action;
  const params: Record<string, number> | undefined =
    a.kind === "set-max-downtime"
      ? { ms: a.ms }
      : a.kind === "set-bandwidth"
        ? { bps: a.bps }
        : a.kind === "throttle-harder"
          ? { initial: a.initial, increment: a.increment }
          : undefined;
  return {
    action: a.kind as OperatorAction,
    disruptive: f.disruptive,
    reason: f.reason,
    outcome: f.outcome,
    ...(params ? { params } : {}),
  };
}

/**
 * The buttons to offer for a stalled or non-converging migration: the what-if engine's fixes
 * predicted to help, least disruptive first, then abort; the ones predicted not to help apart.
 * Empty while it converges (or it is too early to tell).
 */
export function recommendFix(a: ConvergenceAssessment, o: FixOptions): FixAdvice {
  if (a.verdict === "converging" || a.verdict === "too-early" || a.verdict === "postcopy")
    return { fixes: [], wontHelp: [] };
  const abort: FixSuggestion = {
    action: "abort",
    disruptive: true,
    outcome: null,
    reason: "Cancels the migration; the guest keeps running on the source.",
  };
  if (!o.state) return { fixes: [abort], wontHelp: [] };
  const state = { ...o.state, autoConverge: o.autoConverge ? (o.state.autoConverge ?? QEMU_AUTO_CONVERGE) : null };
  const r = rankFixes(state, {
    live: true,
    postcopyArmed: o.postcopyArmed,
    ...(o.didNotHelp ? { didNotHelp: o.didNotHelp } : {}),
  });
  return { fixes: [...r.offered.map(toSuggestion), abort], wontHelp: r.wontHelp.map(toSuggestion) };
}
