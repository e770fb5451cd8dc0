// The buttons a stalled or non-converging migration offers: the what-if engine's fixes for its
// live state (fixes.ts), least disruptive first, then abort; those predicted not to help apart. Pure.
import { type Fix, type FixKind, rankFixes } from "./fixes";
import type { OperatorAction } from "./operator-actions";
import type { ConvergenceAssessment } from "./stall";
import { QEMU_AUTO_CONVERGE } from "./types";
import type { WhatIfOutcome, WhatIfState } from "./what-if";

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
