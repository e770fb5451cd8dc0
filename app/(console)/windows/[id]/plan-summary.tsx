import type { ReactNode } from "react";
import type { PlanView, WindowView } from "@/lib/schemas/wire-window";
import { rate } from "@/lib/migration/text";
import { formatDuration, formatUtc } from "../../migrations/display";
import { displayName } from "@/lib/format";

/** Predicted makespan next to the lower bound, and the actual elapsed time once it runs. */
export function PlanSummary({ w, plan }: { w: WindowView; plan: PlanView }) {
  const measured = plan.rates.filter((r) => r.measured).length;
  const elapsed = w.startedAt
    ? (w.endedAt ? Date.parse(w.endedAt) : Date.parse(w.now)) - Date.parse(w.startedAt)
    : null;
  return (
    <section
      aria-label="Plan summary"
      className="flex flex-wrap gap-x-8 gap-y-2 rounded border border-slate-800 p-3 text-sm"
    >
      <Stat label="Predicted makespan">
        <span data-testid="makespan" data-ms={Math.round(plan.makespanMs)}>
          {formatDuration(plan.makespanMs)}
        </span>
      </Stat>
      <Stat label="Lower bound">
        <span data-testid="lower-bound" data-ms={Math.round(plan.lowerBoundMs)}>
          {formatDuration(plan.lowerBoundMs)}
        </span>
        <span className="ml-2 text-xs text-slate-400">
          × {Number.isFinite(plan.ratioToLowerBound) ? plan.ratioToLowerBound.toFixed(2) : "—"}
        </span>
        {plan.lowerBoundWhy && (
          <div className="font-sans text-xs text-slate-400" data-testid="lower-bound-why">
            set by {plan.lowerBoundWhy}
          </div>
        )}
      </Stat>
      {elapsed !== null && (
        <Stat label={w.endedAt ? "Actual duration" : "Elapsed"}>
          <span data-testid="elapsed">{formatDuration(elapsed)}</span>
        </Stat>
      )}
      <Stat label="Moves planned">{plan.moveCount}</Stat>
      <Stat label="Dirty rates">
        {measured} of {plan.rates.length} measured
      </Stat>
      <Stat label="Planned at">{formatUtc(plan.plannedAt)}</Stat>
    </section>
  );
}

/** What the plan cannot do, never silently dropped: unplaced, flagged, not moved, estimates. */
export function PlanFindings({ plan }: { plan: PlanView }) {
  const estimated = plan.rates.filter((r) => !r.measured);
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <section
        aria-labelledby="unplaced-heading"
        className="space-y-1 rounded border border-slate-800 p-3"
        data-testid="unplaced"
        data-count={plan.unplaced.length}
      >
        <h2 id="unplaced-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
          Unplaced VMs ({plan.unplaced.length})
        </h2>
        {plan.unplaced.length === 0 ? (
          <p className="text-sm text-slate-400">Every running VM has a destination and a slot.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {plan.unplaced.map((u) => (
              <li key={u.vmId} data-vm={u.vmName}>
                <span className="font-medium text-rose-300">{displayName(u.vmName)}</span> — {u.reason}
              </li>
            ))}
          </ul>
        )}
        {plan.unplaced.length > 0 && (
          <p className="text-xs text-slate-500">
            These VMs stay where they are: their host cannot be emptied by this plan.
          </p>
        )}
      </section>
      <section
        aria-labelledby="flagged-heading"
        className="space-y-1 rounded border border-slate-800 p-3"
        data-testid="flagged"
        data-count={plan.flagged.length}
      >
        <h2 id="flagged-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
          Flagged for a decision ({plan.flagged.length})
        </h2>
        {plan.flagged.length === 0 ? (
          <p className="text-sm text-slate-400">No VM is predicted to miss convergence.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {plan.flagged.map((f) => (
              <li key={f.vmId} data-vm={f.vmName}>
                <span className="font-medium text-amber-300">{displayName(f.vmName)}</span> — {f.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      {(plan.notMoved.length > 0 || estimated.length > 0 || plan.notes.length > 0) && (
        <section
          aria-labelledby="notes-heading"
          className="space-y-1 rounded border border-slate-800 p-3 lg:col-span-2"
          data-testid="plan-notes"
        >
          <h2 id="notes-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
            Notes
          </h2>
          <ul className="list-inside list-disc space-y-0.5 text-sm text-slate-300">
            {plan.notMoved.map((n) => (
              <li key={n.vmId} data-not-moved={n.vmName}>
                {displayName(n.vmName)} is not moved: {n.reason}
              </li>
            ))}
            {estimated.map((r) => (
              <li key={r.vmId}>
                {displayName(r.vmName)}: {r.note ?? `estimated at ${rate(r.dirtyRateBps)}`}
              </li>
            ))}
            {plan.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-400">{label}</div>
      <div className="font-mono tabular-nums">{children}</div>
    </div>
  );
}
