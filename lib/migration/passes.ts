// Groups a sample history into pre-copy passes. Remaining bytes are a saw-tooth (lab "Results"):
// each sync resets them to what the guest dirtied during the previous pass, then they fall at the
// transfer rate until the next sync. So progress is judged pass by pass, on the volume each pass
// starts with, never on the raw minimum of remaining bytes (that only says how close to a sync a
// 1 Hz sample happened to land).
import type { MigrationSample } from "./types";

export type PassSummary = {
  /** libvirt's memory_iteration for this pass. */
  iteration: number;
  /** The first full copy of memory (the lowest iteration seen). */
  bulk: boolean;
  startAtMs: number;
  endAtMs: number;
  samples: number;
  /** Bytes pending when the pass began: the dirty set found by the sync that opened it. */
  volumeBytes: number;
  /** Dirty rate QEMU measured over the previous pass (bytes/s); 0 for the bulk pass. */
  dirtyRateBps: number;
  /** Mean transfer rate over the previous pass, from processed bytes (the same period as dirtyRateBps). */
  periodTransferBps: number | null;
  /** dirtied / transferred over the previous pass (QEMU's own trigger quantity); null for the bulk pass. */
  lambda: number | null;
  /** Highest throttle seen in the pass, percent. */
  throttlePct: number;
  /** Expected downtime reported in the last sample of the pass (ms; 0 when unknown). */
  expectedDowntimeMs: number;
};

/** Samples before QEMU reports any memory (setup) and post-copy samples say nothing about pre-copy. */
export function precopySamples(samples: readonly MigrationSample[]): MigrationSample[] {
  return samples.filter((s) => s.totalBytes > 0 && s.postcopyRequests === 0);
}

/** Latest non-zero transfer rate, smoothed over the last few samples (EWMA α = 0.4). */
export function recentTransferRate(samples: readonly MigrationSample[], n = 5): number | null {
  const rates = samples.filter((s) => s.transferRateBps > 0).slice(-n);
  if (rates.length === 0) return null;
  return ewma(
    rates.map((s) => s.transferRateBps),
    0.4,
  );
}

/** Exponentially weighted mean, seeded with the first value. */
export function ewma(values: readonly number[], alpha: number): number {
  let acc = values[0] ?? 0;
  for (let i = 1; i < values.length; i++) acc = alpha * values[i]! + (1 - alpha) * acc;
  return acc;
}

function volumeOf(pass: readonly MigrationSample[], bulk: boolean, prevExpectedMs: number | null): number {
  if (bulk) return Math.max(...pass.map((s) => s.totalBytes));
  let v = Math.max(...pass.map((s) => s.remainingBytes));
  // QEMU's expected downtime is dirty-bytes-at-last-sync / bandwidth, so × bandwidth recovers the
  // pass volume even when the first 1 Hz sample lands a second after the sync. But the first sample
  // of a pass may still carry the previous pass's figure (pass 2 of s1 shows the 300 ms placeholder):
  // from the second sample on the latest figure is fresh; a lone first sample counts only if its
  // figure differs from the previous pass's.
  const latest = pass[pass.length - 1]!;
  const fresh = pass.length > 1 || latest.expectedDowntimeMs !== prevExpectedMs;
  if (fresh && latest.expectedDowntimeMs > 0 && latest.transferRateBps > 0) {
    v = Math.max(v, (latest.expectedDowntimeMs / 1000) * latest.transferRateBps);
  }
  return v;
}

export function summarizePasses(samples: readonly MigrationSample[]): PassSummary[] {
  const pre = precopySamples(samples);
  const groups: MigrationSample[][] = [];
  for (const s of pre) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.iteration === s.iteration) last.push(s);
    else groups.push([s]);
  }
  const out: PassSummary[] = [];
  groups.forEach((g, i) => {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const bulk = i === 0 && first.dirtyRateBps === 0;
    const prev = i > 0 ? groups[i - 1]![0]! : null;
    let periodTransferBps: number | null = null;
    if (prev) {
      const dt = (first.elapsedMs - prev.elapsedMs) / 1000;
      const dp = first.processedBytes - prev.processedBytes;
      if (dt > 0 && dp > 0) periodTransferBps = dp / dt;
    } else if (first.elapsedMs > 0 && first.processedBytes > 0 && !bulk) {
      periodTransferBps = first.processedBytes / (first.elapsedMs / 1000);
    }
    // The period's transfer rate keeps λ honest when the bandwidth was changed mid-pass.
    const xfer = periodTransferBps ?? (first.transferRateBps > 0 ? first.transferRateBps : null);
    const dirty = Math.max(...g.map((s) => s.dirtyRateBps));
    out.push({
      iteration: first.iteration,
      bulk,
      startAtMs: first.atMs,
      endAtMs: last.atMs,
      samples: g.length,
      volumeBytes: volumeOf(g, bulk, i > 0 ? groups[i - 1]!.at(-1)!.expectedDowntimeMs : null),
      dirtyRateBps: dirty,
      periodTransferBps: xfer,
      lambda: bulk || xfer === null ? null : dirty / xfer,
      throttlePct: Math.max(...g.map((s) => s.throttlePct)),
      expectedDowntimeMs: last.expectedDowntimeMs,
    });
  });
  return out;
}

/** Per-pass λ values (oldest first), skipping the bulk pass and passes without a measurement. */
export function lambdas(passes: readonly PassSummary[]): number[] {
  return passes.flatMap((p) => (p.lambda === null ? [] : [p.lambda]));
}

/**
 * λ smoothed over passes (EWMA α = 0.4), or null. The first re-sync after the bulk copy compares
 * what the guest dirtied with *all* of memory, mostly cold pages (0.79 in the lab's s2a, then
 * 0.97–1.0 once dirty sets are compared with dirty sets), so it only counts while it is alone.
 */
export function smoothedLambda(passes: readonly PassSummary[], alpha = 0.4): number | null {
  const all = passes.filter((p) => p.lambda !== null);
  if (all.length === 0) return null;
  const skip = passes[0]?.bulk === true && all[0] === passes[1] && all.length > 1 ? 1 : 0;
  return ewma(
    all.slice(skip).map((p) => p.lambda!),
    alpha,
  );
}
