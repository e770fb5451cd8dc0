// The one what-if engine: a migration's state (measured live, or predicted before launch) plus a
// candidate action → the predicted outcome. The pre-launch panel, the live verdict's fixes and the
// evacuation planner all ask it, so they cannot disagree. Pure; built on predictPrecopy.
import { DEFAULT_DEVICE_STATE_MS, type PredictInput, type Prediction, predictPrecopy } from "./predict";
import { bytes, duration, rate } from "./text";
import type { AutoConvergeParams } from "./types";

export type WhatIfState = {
  /** Non-zero memory: what a fresh (or restarted) job sends in its first pass. */
  memoryBytes: number;
  /** Zero pages: scanned in the first pass, nearly free on the wire. */
  zeroBytes: number;
  /** Live: the volume of the pass in flight as its sync found it; null before launch. */
  pendingBytes: number | null;
  /** Live: how much of that pass is already sent. */
  passSentBytes?: number;
  /** The guest's own write rate (not slowed by a throttle). */
  dirtyRateBps: number;
  workingSetBytes: number;
  /** What the path between the two hosts was measured to carry — never the nominal NIC speed. */
  pathBps: number;
  /** QEMU's bandwidth cap; null = unlimited. */
  capBps: number | null;
  maxDowntimeMs: number;
  /** Started with (or, before launch, chosen with) auto-converge. */
  autoConverge: AutoConvergeParams | null;
  throttlePct: number;
  deviceStateMs?: number;
  /**
   * A new job's cost beyond its transfer (p2p connection, QEMU started on the destination, setup,
   * libvirt's finish on both hosts), learned per host pair (path-throughput.ts); 0 when not known.
   */
  jobOverheadMs?: number;
  /**
   * The dirty rate is only a floor: QEMU counts a page once per sync, so a guest that re-dirties
   * its whole hot set every pass reads λ ≈ 1 however fast it really writes.
   */
  dirtyRateIsFloor?: boolean;
};

/** QEMU's completion check runs every 100 ms (migration_iteration_run). */
const CHECK_S = 0.1;

/**
 * The state at the pessimistic end of what was measured: a floor dirty rate becomes "the hot set
 * rewritten between two of QEMU's checks", so every sync finds all of it dirty again. Fixes are
 * judged here (a seed-000 run offered max downtime 1.37 s, predicted from the floor; QEMU still
 * found the whole 2 GiB hot set at every sync and needed 1.83 s).
 */
export function atPessimisticEnd(s: WhatIfState): WhatIfState {
  if (!s.dirtyRateIsFloor) return s;
  return { ...s, dirtyRateBps: Math.max(s.dirtyRateBps, s.workingSetBytes / CHECK_S) };
}

export type WhatIfAction =
  | { kind: "none" }
  | { kind: "set-max-downtime"; ms: number }
  | { kind: "set-bandwidth"; bps: number }
  | { kind: "throttle-harder"; initial: number; increment: number }
  /** Live: abort and start over with auto-converge. Before launch: launch with it. */
  | { kind: "restart-with-auto-converge"; params: AutoConvergeParams }
  /** Live: pause the guest now. Before launch: pause it after the first pass. */
  | { kind: "suspend-to-finish" }
  /** Live: switch now. Before launch: after the first pass. */
  | { kind: "switch-to-postcopy" };

export type WhatIfOutcome = {
  converges: boolean;
  /** From now (before launch: from the start) until the guest runs on the destination. */
  totalTimeMs: number | null;
  downtimeMs: number | null;
  bytesSent: number | null;
  /** How much the guest is slowed meanwhile: the throttle in %, 100 = paused. */
  slowdownPct: number;
  reason: string;
};

/** Effective rate of the job: the cap, but never more than the path carries. */
export const effectiveBps = (s: WhatIfState, capBps = s.capBps): number =>
  Math.min(capBps ?? Number.POSITIVE_INFINITY, s.pathBps);

function baseInput(s: WhatIfState): PredictInput {
  return {
    memoryBytes: Math.max(1, s.memoryBytes),
    zeroBytes: s.zeroBytes,
    ...(s.pendingBytes !== null ? { firstPassBytes: s.pendingBytes } : {}),
    dirtyRateBps: s.dirtyRateBps,
    workingSetBytes: s.workingSetBytes,
    bandwidthBps: effectiveBps(s),
    flushBps: s.pathBps,
    maxDowntimeMs: s.maxDowntimeMs,
    deviceStateMs: s.deviceStateMs ?? DEFAULT_DEVICE_STATE_MS,
    ...(s.autoConverge ? { autoConverge: s.autoConverge, throttlePct: s.throttlePct } : {}),
  };
}

/** The prediction runs from the start of the pass in flight; the outcome counts from now. */
function fromPrediction(p: Prediction, s: WhatIfState, bps: number): WhatIfOutcome {
  const sent = s.pendingBytes === null ? 0 : (s.passSentBytes ?? 0);
  const since = (t: number | null, minus: number) => (t === null ? null : Math.max(0, t - minus));
  return {
    converges: p.converges,
    totalTimeMs: since(p.totalTimeMs, (sent / bps) * 1000),
    downtimeMs: p.downtimeMs,
    bytesSent: since(p.bytesSent, sent),
    slowdownPct: p.finalThrottlePct ?? 0,
    reason: p.reason,
  };
}

/** What is still to cross once the guest stops dirtying: the rest of this pass and what it re-dirtied. */
function leftAfterStop(s: WhatIfState): { bytes: number; afterMs: number } {
  const B = effectiveBps(s);
  if (s.pendingBytes !== null) {
    const sent = Math.min(s.passSentBytes ?? 0, s.pendingBytes);
    return { bytes: s.pendingBytes - sent + Math.min(s.workingSetBytes, s.dirtyRateBps * (sent / B)), afterMs: 0 };
  }
  const firstPassMs = (s.memoryBytes / B) * 1000;
  return { bytes: Math.min(s.dirtyRateBps * (firstPassMs / 1000), s.workingSetBytes), afterMs: firstPassMs };
}

export function whatIf(s: WhatIfState, a: WhatIfAction): WhatIfOutcome {
  const o = outcomeOf(s, a);
  // A job that starts now (before launch, or a restart) pays its setup and finish as well.
  const starts = s.pendingBytes === null || a.kind === "restart-with-auto-converge";
  const overhead = starts ? (s.jobOverheadMs ?? 0) : 0;
  return overhead > 0 && o.totalTimeMs !== null ? { ...o, totalTimeMs: o.totalTimeMs + overhead } : o;
}

function outcomeOf(s: WhatIfState, a: WhatIfAction): WhatIfOutcome {
  const base = baseInput(s);
  const B = effectiveBps(s);
  const device = s.deviceStateMs ?? DEFAULT_DEVICE_STATE_MS;
  switch (a.kind) {
    case "none":
      return fromPrediction(predictPrecopy(base), s, B);
    case "set-max-downtime":
      return fromPrediction(predictPrecopy({ ...base, maxDowntimeMs: a.ms }), s, B);
    case "set-bandwidth":
      return fromPrediction(
        predictPrecopy({ ...base, bandwidthBps: effectiveBps(s, a.bps) }),
        s,
        effectiveBps(s, a.bps),
      );
    case "throttle-harder": {
      const ac = {
        ...(s.autoConverge ?? { max: 99, triggerThreshold: 50, initial: a.initial, increment: a.increment }),
        initial: a.initial,
        increment: a.increment,
      };
      return fromPrediction(predictPrecopy({ ...base, autoConverge: ac, throttlePct: s.throttlePct }), s, B);
    }
    case "restart-with-auto-converge": {
      const { firstPassBytes: _drop, ...fresh } = base;
      return fromPrediction(
        predictPrecopy({ ...fresh, autoConverge: a.params, throttlePct: 0 }),
        { ...s, pendingBytes: null },
        B,
      );
    }
    case "suspend-to-finish": {
      // Paused, the guest dirties nothing more: the rest crosses at the capped rate, all of it downtime.
      const left = leftAfterStop(s);
      const pausedMs = (left.bytes / B) * 1000 + device;
      const sent = (s.pendingBytes === null ? s.memoryBytes : 0) + left.bytes;
      return {
        converges: true,
        totalTimeMs: left.afterMs + pausedMs,
        downtimeMs: pausedMs,
        bytesSent: sent,
        slowdownPct: 100,
        reason: `The guest is paused ≈ ${duration(pausedMs)} while ${bytes(left.bytes)} crosses at ${rate(B)}.`,
      };
    }
    case "switch-to-postcopy": {
      // Everything not yet on the destination crosses, not just the pages the guest faults on
      // (lab: a forecast of "48 MiB faulted in" met 211 MB really sent); post-copy is uncapped.
      const left = leftAfterStop(s);
      const ms = left.afterMs + (left.bytes / s.pathBps) * 1000 + device;
      const sent = (s.pendingBytes === null ? s.memoryBytes : 0) + left.bytes;
      return {
        converges: true,
        totalTimeMs: ms,
        downtimeMs: device,
        bytesSent: sent,
        slowdownPct: 0,
        reason: `Runs on the destination after ≈ ${duration(device)}; ${bytes(left.bytes)} follow over the link, pages it touches first wait for the network.`,
      };
    }
  }
}
