// The what-if engine's state for a running migration, from its own samples: what is pending, the
// guest's dirty rate and hot set as QEMU saw them pass by pass, and the path's throughput as the job
// measured it (uncapped, the transfer rate *is* the path; capped, only a learned figure for the host
// pair says the path can carry more). Pure.
import { recentTransferRate, smoothedLambda, summarizePasses } from "./passes";
import { SATURATED_LAMBDA } from "./stall-rules";
import type { AutoConvergeParams, MigrationSample } from "./types";
import type { WhatIfState } from "./what-if";

export type LiveContext = {
  capBps: number | null;
  maxDowntimeMs: number;
  autoConverge: AutoConvergeParams | null;
  /** Throughput learned for this host pair from completed migrations; null if none. */
  learnedPathBps: number | null;
};

/** λ from here up cannot be told apart from "the whole hot set every pass" (lab: 0.97–1.0). */
/** A capped job running this close to its cap is held back by the cap, not by the path. */
const AT_CAP = 0.9;

export function liveWhatIfState(samples: readonly MigrationSample[], c: LiveContext): WhatIfState | null {
  const data = samples.filter((s) => s.totalBytes > 0 && s.postcopyRequests === 0);
  const last = data.at(-1);
  const observed = recentTransferRate(data);
  if (!last || observed === null) return null;
  const passes = summarizePasses(data);
  const current = passes.at(-1)!;
  const atCap = c.capBps !== null && observed >= AT_CAP * c.capBps;
  const pathBps = atCap ? Math.max(c.capBps ?? 0, c.learnedPathBps ?? 0) : observed;
  const lambda = smoothedLambda(passes);
  const throttle = last.throttlePct;
  // QEMU's figure counts each page once per period, so it is a lower bound on the guest's writes.
  const seen = lambda === null ? last.dirtyRateBps : lambda * observed;
  const dirtyRateBps = seen / Math.max(0.01, 1 - throttle / 100);
  // λ near 1: each pass found the hot set dirty again, so the guest may write far faster.
  const dirtyRateIsFloor = lambda !== null && lambda >= SATURATED_LAMBDA;
  const hot = Math.max(0, ...passes.filter((p) => !p.bulk).map((p) => p.volumeBytes));
  // What the first pass really sent (zero pages cost 9 bytes): processed bytes at the first re-sync.
  const firstResync = data.find((s) => s.iteration > (data[0]?.iteration ?? 0));
  const nonZero = firstResync ? Math.min(last.totalBytes, firstResync.processedBytes) : last.totalBytes;
  return {
    memoryBytes: Math.max(1, nonZero),
    zeroBytes: Math.max(0, last.totalBytes - nonZero),
    // Predicted from the sync that opened the pass in flight (a pass's tail is no switch point).
    pendingBytes: Math.max(current.volumeBytes, last.remainingBytes),
    passSentBytes: Math.max(0, current.volumeBytes - last.remainingBytes),
    dirtyRateBps,
    workingSetBytes: hot > 0 ? hot : last.totalBytes,
    pathBps,
    capBps: c.capBps,
    maxDowntimeMs: c.maxDowntimeMs,
    autoConverge: c.autoConverge,
    throttlePct: throttle,
    dirtyRateIsFloor,
  };
}
