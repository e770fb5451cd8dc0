// The pass-level rules behind the convergence verdict (stall.ts explains the parameters): the
// low-water mark, the stall trip, expected downtime per pass and when "won't converge" began. Pure.
import { type PassSummary, smoothedLambda } from "./passes";

/** λ this close to 1 is what a hot set re-dirtied every pass reads (QEMU counts a page once per sync). */
export const SATURATED_LAMBDA = 0.95;
/** "Won't converge" needs the expected downtime at least this many times the maximum. */
export const FAR_ABOVE_FACTOR = 4;
/** EWMA weight of the newest pass in the smoothed λ. */
export const ALPHA = 0.4;

/** The pass that set the low-water mark: the last one to start `margin` below the previous low. */
export function lowWater(passes: PassSummary[], margin: number) {
  let idx = 0;
  for (let i = 1; i < passes.length; i++) if (passes[i]!.volumeBytes < passes[idx]!.volumeBytes * (1 - margin)) idx = i;
  return idx;
}

/** The throttle step seen so far (the last rise), else QEMU's default increment. */
export function throttleIncrement(passes: PassSummary[]): number {
  const levels = [...new Set(passes.map((p) => p.throttlePct).filter((t) => t > 0))];
  const n = levels.length;
  return n >= 2 ? Math.max(1, levels[n - 1]! - levels[n - 2]!) : 10;
}

/** When the stall criterion tripped (N passes without a new low, or 30 s after a failed pass). */
export function stallTrip(
  passes: PassSummary[],
  lowIdx: number,
  nowMs: number,
  n: number,
  seconds: number,
): number | null {
  const low = passes[lowIdx]!;
  const after = passes.slice(lowIdx + 1);
  if (after.length === 0) return null;
  const byPasses = after.find((p) => p.iteration - low.iteration >= n)?.startAtMs ?? Infinity;
  const byTime = Math.max(low.startAtMs + seconds * 1000, after[0]!.startAtMs);
  const trip = Math.min(byPasses, byTime);
  return trip <= nowMs ? trip : null;
}

/** Expected downtime per pass: QEMU's figure, or volume / bandwidth when QEMU has not caught up yet. */
export function passDowntimeMs(p: PassSummary, B: number): number {
  return Math.max(p.expectedDowntimeMs, (p.volumeBytes / B) * 1000);
}

/**
 * Start of the run of trailing passes over which "won't converge" has held, or null. It holds when
 * the expected downtime is ≥ 4× the max and either λ ≥ 1 (pass volumes cannot shrink) or λ is in the
 * saturation band [0.95, 1) and the volumes confirm it: since the first re-sync they shrank by less
 * than the 4 % margin per pass (a genuine λ = 0.95 guest shrinks 5 % a pass and stays "converging").
 */
export function wontConvergeSince(
  passes: PassSummary[],
  B: number,
  maxDowntimeMs: number,
  margin: number,
): number | null {
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
