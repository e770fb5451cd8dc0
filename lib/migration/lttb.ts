// Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013, migration-physics E): keeps the
// peaks and troughs that averaging loses — here the saw-tooth of remaining bytes — so an hour of
// 1 Hz samples fits a chart's ~1,500-point budget (Recharts slows down past a few thousand).
import type { MigrationSample } from "./types";

/**
 * Downsamples to `threshold` points, keeping the first and last. Returns the input (a copy) when it
 * is already short enough or the threshold is below 3 (no middle bucket to choose from).
 */
export function lttb<T>(points: readonly T[], threshold: number, x: (p: T) => number, y: (p: T) => number): T[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return points.slice();
  const out: T[] = [points[0]!];
  // The n − 2 middle points split into threshold − 2 buckets of this (fractional) size.
  const every = (n - 2) / (threshold - 2);
  let a = 0; // index of the point kept from the previous bucket
  for (let i = 0; i < threshold - 2; i++) {
    // Average of the next bucket: the triangle's third corner.
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x(points[j]!);
      avgY += y(points[j]!);
    }
    const len = Math.max(1, nextEnd - nextStart);
    avgX /= len;
    avgY /= len;
    // The point of this bucket forming the largest triangle with the last kept point and that average.
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    const ax = x(points[a]!);
    const ay = y(points[a]!);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y(points[j]!) - ay) - (ax - x(points[j]!)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}

/**
 * Downsamples a migration's samples on remaining bytes (the saw-tooth is the shape worth keeping)
 * and also keeps, for each event timestamp, the sample nearest to it and (unless there are too
 * many) the first sample of every pass, so
 * event markers and the pass count line up with real readings. The result is sorted by time and may
 * slightly exceed `threshold` by the kept extras.
 */
export function downsampleSamples(
  samples: readonly MigrationSample[],
  threshold: number,
  eventAtMs: readonly number[] = [],
): MigrationSample[] {
  if (samples.length <= threshold) return samples.slice();
  const keep = new Set<MigrationSample>(
    lttb(
      samples,
      threshold,
      (s) => s.atMs,
      (s) => s.remainingBytes,
    ),
  );
  const boundaries = samples.filter((s, i) => i > 0 && s.iteration !== samples[i - 1]!.iteration);
  // Sub-second passes near the end would keep everything: boundaries only while they are a minority.
  if (boundaries.length <= threshold / 2) for (const s of boundaries) keep.add(s);
  for (const t of eventAtMs) {
    const s = nearest(samples, t);
    if (s) keep.add(s);
  }
  return samples.filter((s) => keep.has(s));
}

/** Binary search in samples sorted by atMs. */
function nearest(samples: readonly MigrationSample[], t: number): MigrationSample | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.atMs < t) lo = mid + 1;
    else hi = mid;
  }
  const after = samples[lo];
  const before = samples[lo - 1];
  if (!before) return after;
  if (!after) return before;
  return t - before.atMs <= after.atMs - t ? before : after;
}
