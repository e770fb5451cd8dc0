// Synthetic sample histories from the geometric pre-copy model (A.2), shaped like libvirt's: for
// tests of the live estimate and the verdict on runs whose true outcome is known exactly.
import type { MigrationSample } from "./types";

export type SyntheticRun = {
  memoryBytes: number;
  dirtyRateBps: number;
  workingSetBytes?: number;
  bandwidthBps: number;
  maxDowntimeMs: number;
  /** Sampling period; libvirt is polled at 1 Hz by the worker. */
  sampleEveryMs?: number;
  /** Stop sampling here if the run has not switched over by then. */
  untilMs?: number;
  originMs?: number;
};

type Pass = { start: number; volume: number; dirtyRate: number };

/** Samples every `sampleEveryMs` until the switchover starts; `switchoverAtMs` is null if it never does. */
export function synthesizeRun(r: SyntheticRun): {
  samples: MigrationSample[];
  switchoverAtMs: number | null;
  completedAtMs: number | null;
} {
  const B = r.bandwidthBps;
  const T = r.maxDowntimeMs / 1000;
  const W = Math.min(r.workingSetBytes ?? r.memoryBytes, r.memoryBytes);
  const until = (r.untilMs ?? 3_600_000) / 1000;
  const every = (r.sampleEveryMs ?? 1000) / 1000;
  const origin = r.originMs ?? 0;
  // Pass plan (seconds): pass i starts at `start`, sends `volume`; the dirty rate QEMU reports in it
  // is what the previous pass dirtied over its duration.
  const passes: Pass[] = [{ start: 0, volume: r.memoryBytes, dirtyRate: 0 }];
  let switchover: number | null = null;
  for (;;) {
    const p = passes[passes.length - 1]!;
    if (p.volume / B < T && passes.length > 1) {
      switchover = p.start;
      break;
    }
    const dt = p.volume / B;
    if (p.start + dt > until || passes.length > 100_000) break;
    const next = Math.min(r.dirtyRateBps * dt, W);
    passes.push({ start: p.start + dt, volume: next, dirtyRate: dt > 0 ? next / dt : 0 });
  }
  const end = switchover ?? until;
  const samples: MigrationSample[] = [];
  let i = 0;
  let sentBefore = 0;
  for (let t = every; t < end; t += every) {
    while (i + 1 < passes.length && passes[i + 1]!.start <= t) {
      sentBefore += passes[i]!.volume;
      i++;
    }
    const p = passes[i]!;
    const done = Math.min(p.volume, (t - p.start) * B);
    samples.push({
      atMs: origin + t * 1000,
      elapsedMs: t * 1000,
      processedBytes: sentBefore + done,
      remainingBytes: p.volume - done,
      totalBytes: r.memoryBytes,
      dirtyRateBps: p.dirtyRate,
      transferRateBps: B,
      iteration: i + 1,
      throttlePct: 0,
      // QEMU starts at the limit and then reports dirty-at-last-sync / bandwidth.
      expectedDowntimeMs: i === 0 ? r.maxDowntimeMs : (p.volume / B) * 1000,
      postcopyRequests: 0,
    });
  }
  const last = passes[passes.length - 1]!;
  return {
    samples,
    switchoverAtMs: switchover === null ? null : origin + switchover * 1000,
    completedAtMs: switchover === null ? null : origin + (switchover + last.volume / B) * 1000,
  };
}
