// The live ETA, recalibrated from the passes seen so far: each pass is assumed to shrink by the
// ratio the last passes really shrank by (volume of pass k / volume of pass k−1), at the throughput
// really observed (processed bytes over time, which counts re-sent pages and every cap in force).
// Nothing here is taken from the launch-time prediction or the nominal link speed. It also returns
// the predicted remaining-bytes curve from the last sample on, drawn against the actual one.
import { ewma, recentTransferRate, summarizePasses } from "./passes";
import type { MigrationSample } from "./types";

export type ProjectionPoint = { elapsedMs: number; remainingBytes: number };

export type Recalibrated = {
  /** ms from the last sample to the switchover; null when the observed passes do not converge or nothing is known yet. */
  etaMs: number | null;
  /** ETA at the smallest and largest of the recent ratios; null when either end does not converge. */
  band: { lowMs: number; highMs: number } | null;
  /** Observed per-pass shrink ratio (EWMA α = 0.4); null before two passes were seen. */
  shrink: number | null;
  /** Observed throughput over the last two passes, bytes/s. */
  throughputBps: number | null;
  /** Predicted remaining bytes from the last sample to the switchover (or a few passes when it never comes). */
  projection: ProjectionPoint[];
};

const ALPHA = 0.4;
const SPREAD = 3;
/** Passes drawn when the projection never converges: enough to show the plateau. */
const PLATEAU_PASSES = 4;
const MAX_PASSES = 500;

const NOTHING: Recalibrated = { etaMs: null, band: null, shrink: null, throughputBps: null, projection: [] };

/** Bytes really sent per second from the start of the previous pass (or the first sample) to now. */
export function observedThroughput(samples: readonly MigrationSample[]): number | null {
  const data = samples.filter((s) => s.totalBytes > 0);
  const last = data.at(-1);
  if (!last) return null;
  const passes = summarizePasses(data);
  const from = passes.length >= 2 ? passes[passes.length - 2]!.startAtMs : data[0]!.atMs;
  const first = data.find((s) => s.atMs >= from)!;
  const dt = (last.elapsedMs - first.elapsedMs) / 1000;
  const dp = last.processedBytes - first.processedBytes;
  return dt >= 1 && dp > 0 ? dp / dt : recentTransferRate(data);
}

/**
 * Bytes each pass started with, from what was really sent: a pass's volume is what it sent up to
 * its first sample plus what was left then. (QEMU's expected downtime × its instantaneous rate, or
 * a lone late sample's remaining bytes, under- or overstate it.) The bulk copy's volume is RAM.
 */
export function passVolumes(samples: readonly MigrationSample[]): number[] {
  const groups: MigrationSample[][] = [];
  for (const s of samples) {
    const g = groups.at(-1);
    if (g && g[0]!.iteration === s.iteration) g.push(s);
    else groups.push([s]);
  }
  const summary = summarizePasses(samples);
  return groups.map((g, i) => {
    const prev = groups[i - 1]?.at(-1);
    if (!prev) return summary[i]!.volumeBytes;
    const first = g[0]!;
    const sentSinceSync = first.processedBytes - (prev.processedBytes + prev.remainingBytes);
    return first.remainingBytes + Math.max(0, sentSinceSync);
  });
}

/**
 * Ratios of consecutive pass volumes. The first dirty pass over the bulk copy compares a dirty set
 * with all of memory (mostly cold pages), so it counts only while it is the only one.
 */
export function shrinkRatios(volumes: readonly number[]): number[] {
  const rs: number[] = [];
  for (let i = 1; i < volumes.length; i++) if (volumes[i - 1]! > 0) rs.push(volumes[i]! / volumes[i - 1]!);
  return rs.length > 1 ? rs.slice(1) : rs;
}

export function recalibrate(samples: readonly MigrationSample[], opts: { maxDowntimeMs: number }): Recalibrated {
  const data = samples.filter((s) => s.totalBytes > 0 && s.postcopyRequests === 0);
  const last = data.at(-1);
  const B = observedThroughput(data);
  if (!last || B === null || B <= 0 || samples.at(-1)!.postcopyRequests > 0) return NOTHING;
  const volumes = passVolumes(data);
  const rs = shrinkRatios(volumes);
  if (rs.length === 0) return { ...NOTHING, throughputBps: B };
  const shrink = ewma(rs, ALPHA);
  const volume = volumes.at(-1)!;
  const T = opts.maxDowntimeMs / 1000;
  const run = (r: number) => project(last, volume, r, B, T);
  const main = run(shrink);
  const recent = rs.slice(-SPREAD);
  const low = run(Math.min(...recent, shrink)).etaMs;
  const high = run(Math.max(...recent, shrink)).etaMs;
  return {
    etaMs: main.etaMs,
    band: low !== null && high !== null ? { lowMs: low, highMs: high } : null,
    shrink,
    throughputBps: B,
    projection: main.points,
  };
}

/**
 * Finish the current pass, then passes of r × the previous volume until one starts within the
 * downtime budget: that one is the stop-and-copy, and the switchover is its end. A pass that only
 * *ends* low is followed by another sync, as QEMU does.
 */
function project(
  last: MigrationSample,
  volume: number,
  r: number,
  B: number,
  T: number,
): { etaMs: number | null; points: ProjectionPoint[] } {
  let t = last.elapsedMs / 1000 + last.remainingBytes / B;
  const points: ProjectionPoint[] = [
    { elapsedMs: last.elapsedMs, remainingBytes: last.remainingBytes },
    { elapsedMs: Math.round(t * 1000), remainingBytes: 0 },
  ];
  const done = () => ({ etaMs: Math.round(t * 1000) - last.elapsedMs, points });
  if (volume / B < T) return done();
  let v = volume;
  for (let k = 0; k < MAX_PASSES; k++) {
    v *= r;
    points.push({ elapsedMs: Math.round(t * 1000), remainingBytes: Math.round(v) });
    t += v / B;
    points.push({ elapsedMs: Math.round(t * 1000), remainingBytes: 0 });
    if (v / B < T) return done();
    if (r >= 1 && k + 1 >= PLATEAU_PASSES) break;
  }
  return { etaMs: null, points };
}
