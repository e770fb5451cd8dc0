// Live completion estimate from the samples of a running migration (progress: progress.ts).
import { lambdas, recentTransferRate, smoothedLambda, summarizePasses } from "./passes";
import type { MigrationSample } from "./types";

export type CompletionEstimate = {
  /** ms from the last sample until the switchover completes; null when it will not (or cannot tell). */
  etaMs: number | null;
  /** ETA range from the recent spread of λ; null when the slow end never converges. */
  band: { lowMs: number; highMs: number } | null;
  /** Smoothed dirtied/transferred ratio per pass (EWMA α = 0.4); null before the first re-sync. */
  lambda: number | null;
};

const ALPHA = 0.4;
/** λ spread is taken over this many recent passes. */
const SPREAD_PASSES = 3;
const MAX_FUTURE_PASSES = 10_000;

/**
 * Seconds until switchover if each future pass is λ × the previous one: finish the current pass
 * (remaining / B), then passes λV, λ²V, … until one starts within the downtime budget (that one is the
 * stop-and-copy, A.2). With λ ≥ 1 the hot set caps the volume: it converges only if it already fits.
 */
function secondsToSwitchover(
  remaining: number,
  volume: number,
  hotSet: number,
  lambda: number,
  B: number,
  T: number,
): number | null {
  // Only a pass that *started* under the budget is the stop-and-copy: a pass running low merely
  // triggers a sync, which adds what the guest dirtied meanwhile.
  if (volume / B < T) return remaining / B;
  let t = remaining / B;
  let v = volume;
  for (let k = 0; k < MAX_FUTURE_PASSES; k++) {
    v = lambda >= 1 ? Math.min(v * lambda, Math.max(hotSet, v)) : v * lambda;
    t += v / B;
    if (v / B < T) return t;
    if (lambda >= 1) return null; // the next pass is no smaller: steady state
  }
  return null;
}

export function estimateCompletion(
  samples: readonly MigrationSample[],
  opts: { maxDowntimeMs: number },
): CompletionEstimate {
  const withData = samples.filter((s) => s.totalBytes > 0);
  const last = withData[withData.length - 1];
  const B = recentTransferRate(withData);
  if (!last || B === null) return { etaMs: null, band: null, lambda: null };
  const T = opts.maxDowntimeMs / 1000;

  if (last.postcopyRequests > 0) {
    // Post-copy: no more passes, what is left simply streams (bounded, A.6).
    const seen = withData
      .slice(-SPREAD_PASSES * 2)
      .map((s) => s.transferRateBps)
      .filter((r) => r > 0);
    const rates = seen.length > 0 ? seen : [B];
    const eta = (last.remainingBytes / B) * 1000;
    const band = {
      lowMs: (last.remainingBytes / Math.max(...rates)) * 1000,
      highMs: (last.remainingBytes / Math.min(...rates)) * 1000,
    };
    return {
      etaMs: Math.round(eta),
      band: { lowMs: Math.round(band.lowMs), highMs: Math.round(band.highMs) },
      lambda: null,
    };
  }

  const passes = summarizePasses(samples);
  const current = passes[passes.length - 1];
  const ls = lambdas(passes);
  if (!current || ls.length === 0) {
    // Still in the first full copy: nothing is known about the dirty rate yet, unless all of it fits.
    const eta = current && current.volumeBytes / B < T ? Math.round((last.remainingBytes / B) * 1000) : null;
    return { etaMs: eta, band: eta === null ? null : { lowMs: eta, highMs: eta }, lambda: null };
  }
  const lambda = smoothedLambda(passes, ALPHA)!;
  const recent = ls.slice(-SPREAD_PASSES);
  const hotSet = Math.max(...passes.filter((p) => !p.bulk).map((p) => p.volumeBytes), current.volumeBytes);
  const eta = (l: number) => {
    const s = secondsToSwitchover(last.remainingBytes, current.volumeBytes, hotSet, l, B, T);
    return s === null ? null : Math.round(s * 1000);
  };
  const etaMs = eta(lambda);
  const lowMs = eta(Math.min(...recent, lambda));
  const highMs = eta(Math.max(...recent, lambda));
  return { etaMs, band: lowMs !== null && highMs !== null ? { lowMs, highMs } : null, lambda };
}
