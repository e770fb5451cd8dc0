"use client";

// The verdict in one sentence (converging with ETA / stalled since … / won't converge: dirty ≥
// transfer), the reason behind it, and the recommended fixes as buttons, least disruptive first.
import { formatRate } from "@/components/charts/chart-utils";
import type { OperatorAction } from "@/lib/migration/operator-actions";
import type { ActionAvailability } from "@/lib/migration/state-machine";
import type { FixCheck } from "@/lib/migration/fix-check";
import { outcomeText } from "@/lib/migration/fixes";
import type { FixSuggestion } from "@/lib/migration/fix-advice";
import type { ConvergenceAssessment } from "@/lib/migration/stall";
import type { LiveSample } from "@/lib/schemas/wire";
import { formatDuration, formatUtcClock } from "../display";
import { ActionButton, ResultLine } from "./migration-controls";
import type { ControlParams, ControlResult } from "./use-migration-controls";

const MIB = 1024 ** 2;

const TONE: Record<string, string> = {
  converging: "border-emerald-700 bg-emerald-950/40",
  stalled: "border-amber-600 bg-amber-950/40",
  "wont-converge": "border-rose-600 bg-rose-950/50",
  "too-early": "border-slate-700 bg-slate-900/60",
  postcopy: "border-amber-600 bg-amber-950/40",
};

/** Button text of a recommended fix with its predicted outcome; unlike the controls' labels so names stay unique. */
export function fixLabel(f: FixSuggestion): string {
  return f.outcome ? `${fixName(f)} — ${outcomeText(f.outcome)}` : fixName(f);
}

function fixName(f: FixSuggestion): string {
  const p = f.params ?? {};
  switch (f.action) {
    case "set-max-downtime":
      return `Allow ${p.ms} ms downtime`;
    case "set-bandwidth":
      return `Raise bandwidth to ${Math.floor((p.bps ?? 0) / MIB)} MiB/s`;
    case "throttle-harder":
      return `Throttle to ${p.initial} % (+${p.increment} %/step)`;
    case "restart-with-auto-converge":
      return "Relaunch with auto-converge";
    case "suspend-to-finish":
      return "Pause the guest to finish";
    case "switch-to-postcopy":
      return "Go post-copy now";
    case "abort":
      return "Give up: abort";
  }
}

export function fixParams(f: FixSuggestion): ControlParams {
  const p = f.params ?? {};
  if (f.action === "set-bandwidth") return { mib: Math.floor((p.bps ?? 0) / MIB) };
  return { ms: p.ms, initial: p.initial, increment: p.increment };
}

export function VerdictCard({
  assessment,
  lastSample,
  etaMs,
  fixes,
  wontHelp,
  checks,
  availability,
  canOperate,
  onFix,
  pending,
  last,
}: {
  assessment: ConvergenceAssessment | null;
  lastSample: LiveSample | undefined;
  /** ETA seen from now (ticking), null when there is none. */
  etaMs: number | null;
  fixes: FixSuggestion[];
  /** Fixes the engine predicts would not help: shown, never offered as buttons. */
  wontHelp: FixSuggestion[];
  /** Fixes applied so far, each checked against what was predicted. */
  checks: FixCheck[];
  availability: ActionAvailability[];
  canOperate: boolean;
  onFix: (a: OperatorAction, p: ControlParams) => void;
  pending: OperatorAction | null;
  last: ControlResult | null;
}) {
  const v = assessment?.verdict;
  const can = new Map(availability.map((a) => [a.action, a]));
  return (
    <section
      aria-labelledby="verdict-heading"
      className={`space-y-3 rounded border p-4 ${v ? TONE[v] : TONE["too-early"]}`}
    >
      <h2 id="verdict-heading" className="sr-only">
        Verdict
      </h2>
      <p data-testid="verdict" data-verdict={v ?? "none"} className="text-lg font-semibold" aria-live="polite">
        {headline(assessment, lastSample, etaMs)}
      </p>
      {assessment?.reason && <p className="text-sm text-slate-300">{assessment.reason}</p>}
      <FixChecks checks={checks} />
      {fixes.length > 0 && (
        <div className="space-y-2">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-400">
            Recommended, least disruptive first
          </h3>
          <ol className="space-y-2">
            {fixes.map((f, i) => (
              <FixItem
                key={f.action}
                fix={f}
                rank={i}
                availability={can.get(f.action)}
                canOperate={canOperate}
                onFix={onFix}
                pending={pending}
              />
            ))}
          </ol>
          <WontHelp fixes={wontHelp} />
          {!canOperate && <p className="text-xs text-slate-500">Applying fixes needs the operator role.</p>}
        </div>
      )}
      <ResultLine result={last} testId="last-action-result" />
    </section>
  );
}

/** The fixes applied so far, each with whether it helped against its prediction. */
function FixChecks({ checks }: { checks: FixCheck[] }) {
  if (checks.length === 0) return null;
  return (
    <ul className="space-y-1 text-sm" data-testid="fix-checks">
      {checks.map((c) => (
        <li
          key={`${c.kind}-${c.atMs}`}
          data-check={c.verdict}
          className={c.verdict === "did-not-help" ? "text-amber-300" : "text-slate-300"}
        >
          {c.line}
        </li>
      ))}
    </ul>
  );
}

/** One recommended fix: a button for operators (the first one primary), its reason, why not now. */
function FixItem({
  fix: f,
  rank,
  availability: a,
  canOperate,
  onFix,
  pending,
}: {
  fix: FixSuggestion;
  rank: number;
  availability: ActionAvailability | undefined;
  canOperate: boolean;
  onFix: (a: OperatorAction, p: ControlParams) => void;
  pending: OperatorAction | null;
}) {
  return (
    <li className="flex flex-wrap items-center gap-3" data-fix={f.action}>
      <span className="w-4 text-right font-mono text-xs text-slate-500">{rank + 1}.</span>
      {canOperate ? (
        <ActionButton
          label={fixLabel(f)}
          pendingLabel="Applying…"
          pending={pending === f.action}
          blocked={!a?.allowed || pending !== null}
          reason={a?.allowed ? undefined : a?.reason}
          describedBy={`fix-${f.action}`}
          variant={
            rank === 0 ? "primary" : f.action === "abort" || f.action === "switch-to-postcopy" ? "danger" : "secondary"
          }
          onClick={() => onFix(f.action, fixParams(f))}
        />
      ) : (
        <span className="text-sm font-medium">{fixLabel(f)}</span>
      )}
      <span id={`fix-${f.action}`} className="min-w-0 flex-1 text-xs text-slate-400">
        {f.reason}
        {a && !a.allowed && <span className="text-amber-300/80"> Not now: {a.reason}</span>}
      </span>
    </li>
  );
}

/** Fixes the engine predicts would not help: listed with why, never offered as buttons. */
function WontHelp({ fixes }: { fixes: FixSuggestion[] }) {
  if (fixes.length === 0) return null;
  return (
    <ul className="space-y-1 text-xs text-slate-500" data-testid="wont-help">
      {fixes.map((f) => (
        <li key={f.action} data-wont-help={f.action}>
          Won't help: {fixName(f)} — {f.reason}
        </li>
      ))}
    </ul>
  );
}

function headline(a: ConvergenceAssessment | null, s: LiveSample | undefined, etaMs: number | null): string {
  if (!a) return "Waiting for the first sample…";
  switch (a.verdict) {
    case "converging":
      if (etaMs === null) return "Converging";
      // The ETA counts down from the last sample; past it, say so rather than "0 ms" forever.
      return etaMs > 0 ? `Converging — ETA ${formatDuration(etaMs)}` : "Converging — switchover due now";
    case "stalled":
      return `Stalled since ${formatUtcClock(a.since)}`;
    case "wont-converge": {
      if (!s || !(s.dirtyRateBps > 0)) return "Won't converge";
      const cmp = s.dirtyRateBps >= s.transferRateBps ? "≥" : "≈";
      return `Won't converge: dirty ${formatRate(s.dirtyRateBps / MIB)} ${cmp} transfer ${formatRate(s.transferRateBps / MIB)}`;
    }
    case "postcopy":
      return a.reason; // "Running on <dst>, pulling the rest …"
    default:
      return `Assessing…${etaMs === null ? "" : ` ETA ${formatDuration(etaMs)}`}`;
  }
}
