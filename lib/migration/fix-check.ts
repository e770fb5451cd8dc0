// Fixes checked after they are applied: a few samples after an operator's (or a policy's) fix, what
// happened is compared with what the what-if engine predicted, and said in one line ("bandwidth
// raised: λ 1.00 → 1.00, did not help"). A fix that did not help is not offered again. Pure.
import type { FixKind } from "./fixes";
import { outcomeText } from "./fixes";
import { type PassSummary, smoothedLambda, summarizePasses } from "./passes";
import { ratio } from "./text";
import type { MigrationSample } from "./types";
import type { WhatIfOutcome, WhatIfState } from "./what-if";
import { whatIf } from "./what-if";

/** Event types of applied controls (lib/migration-ops/controls) and the fix each one is. */
const APPLIED: Record<string, { kind: FixKind; label: string }> = {
  "set-max-downtime": { kind: "set-max-downtime", label: "max downtime raised" },
  "set-bandwidth": { kind: "set-bandwidth", label: "bandwidth raised" },
  "throttle-harder": { kind: "throttle-harder", label: "throttle raised" },
};

export type AppliedEvent = {
  atMs: number;
  type: string;
  params?: { ms?: number; bps?: number; initial?: number; increment?: number };
};

export type FixCheck = {
  kind: FixKind;
  atMs: number;
  verdict: "helped" | "did-not-help" | "checking";
  predicted: WhatIfOutcome | null;
  line: string;
};

/** Judged after two new passes, or ten samples if passes are long. */
const PASSES_TO_JUDGE = 2;
const SAMPLES_TO_JUDGE = 10;
/** Progress that counts: λ down ≥ 5 %, passes ≥ 4 % smaller than before, or ≥ 10 % more throughput. */
const LAMBDA_GAIN = 0.95;
const VOLUME_GAIN = 0.96;
const RATE_GAIN = 1.1;

const meanRate = (xs: readonly MigrationSample[]) =>
  xs.length ? xs.reduce((a, s) => a + s.transferRateBps, 0) / xs.length : 0;
/** Median pass volume: a pass seen by a single 1 Hz sample can under-read, one outlier must not count. */
function typicalVolume(ps: readonly PassSummary[]): number {
  const v = ps
    .filter((p) => !p.bulk)
    .map((p) => p.volumeBytes)
    .sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)]! : Number.NaN;
}

function predictedFor(state: WhatIfState | null, e: AppliedEvent, kind: FixKind): WhatIfOutcome | null {
  if (!state) return null;
  const p = e.params ?? {};
  if (kind === "set-max-downtime" && p.ms) return whatIf(state, { kind, ms: p.ms });
  if (kind === "set-bandwidth" && p.bps) return whatIf(state, { kind, bps: p.bps });
  if (kind === "throttle-harder" && p.initial && p.increment)
    return whatIf(state, { kind, initial: p.initial, increment: p.increment });
  return null;
}

/**
 * @param stateAt the engine's state from the samples before a time (lib/migration/live-state), so
 *   the prediction is the one the operator saw when applying the fix.
 */
export function checkAppliedFixes(
  samples: readonly MigrationSample[],
  events: readonly AppliedEvent[],
  stateAt: (before: readonly MigrationSample[]) => WhatIfState | null,
): FixCheck[] {
  const out: FixCheck[] = [];
  for (const e of events) {
    const applied = APPLIED[e.type];
    if (!applied) continue;
    const before = samples.filter((s) => s.atMs <= e.atMs);
    const after = samples.filter((s) => s.atMs > e.atMs);
    const predicted = predictedFor(stateAt(before), e, applied.kind);
    const pb = summarizePasses(before);
    const pa = summarizePasses(after).filter((p) => p.iteration > (pb.at(-1)?.iteration ?? 0));
    const expected = predicted ? ` (predicted: ${outcomeText(predicted)})` : "";
    if (pa.length < PASSES_TO_JUDGE && after.length < SAMPLES_TO_JUDGE) {
      out.push({
        kind: applied.kind,
        atMs: e.atMs,
        verdict: "checking",
        predicted,
        line: `${applied.label}: checking${expected}`,
      });
      continue;
    }
    const lb = smoothedLambda(pb);
    const la = smoothedLambda(pa);
    const rb = meanRate(before.slice(-5));
    const ra = meanRate(after.slice(-5));
    const helped =
      (lb !== null && la !== null && la < lb * LAMBDA_GAIN) ||
      typicalVolume(pa) < typicalVolume(pb.slice(-4)) * VOLUME_GAIN ||
      (applied.kind === "set-bandwidth" && rb > 0 && ra > rb * RATE_GAIN);
    const lam =
      lb !== null && la !== null
        ? `λ ${ratio(lb)} → ${ratio(la)}`
        : `throughput ${Math.round(rb / 2 ** 20)} → ${Math.round(ra / 2 ** 20)} MiB/s`;
    out.push({
      kind: applied.kind,
      atMs: e.atMs,
      verdict: helped ? "helped" : "did-not-help",
      predicted,
      line: `${applied.label}: ${lam}, ${helped ? "helped" : "did not help"}${expected}`,
    });
  }
  return out;
}

/** The fixes not to offer again on this migration. */
export function failedFixes(checks: readonly FixCheck[]): Set<FixKind> {
  return new Set(checks.filter((c) => c.verdict === "did-not-help").map((c) => c.kind));
}
