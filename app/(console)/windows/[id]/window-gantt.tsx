"use client";

// Planned vs actual, one row per VM: the planned slot as an outline (offsets from the run's start),
// each migration attempt as a filled bar below it, and a "now" line while the window runs. Plain
// positioned divs: about three elements per row, so 400 rows stay cheap to render every 2 s.
import type { AttemptView, PlanView, WindowView } from "@/lib/schemas/wire-window";
import { formatDuration } from "../../migrations/display";
import { useNow } from "../../migrations/use-now";
import { displayName } from "@/lib/format";

const LABEL_W = "11rem";
const ATTEMPT_COLOR: Record<string, string> = {
  completed: "bg-emerald-500",
  failed: "bg-rose-500",
  cancelled: "bg-rose-400",
  lost: "bg-rose-700",
  running: "bg-sky-400",
  postcopy: "bg-sky-300",
  launching: "bg-slate-400",
  queued: "bg-slate-500",
};

export function WindowGantt({ w, plan, fetchedAt }: { w: WindowView; plan: PlanView; fetchedAt: number }) {
  const clock = useNow(1000);
  const started = w.startedAt ? Date.parse(w.startedAt) : null;
  // The server's clock at fetch time, advanced by the browser's: independent of the browser's offset.
  const serverNow = Date.parse(w.now) + (clock !== null && fetchedAt > 0 ? Math.max(0, clock - fetchedAt) : 0);
  const nowMs = started !== null ? (w.endedAt ? Date.parse(w.endedAt) : serverNow) - started : null;
  const live = w.state === "running" || w.state === "paused";
  const offset = (iso: string | null) => (iso && started !== null ? Date.parse(iso) - started : null);
  const actualEnd = Math.max(
    0,
    ...w.moves.flatMap((m) => m.history.map((a) => offset(a.endedAt) ?? (live ? (nowMs ?? 0) : 0))),
  );
  const domain = Math.max(1, plan.makespanMs, actualEnd, live && nowMs !== null ? nowMs : 0) * 1.03;
  const pct = (ms: number) => `${Math.max(0, Math.min(100, (ms / domain) * 100))}%`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * domain);

  if (w.moves.length === 0) {
    return (
      <div data-testid="gantt" className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400">
        Nothing to draw: the plan has no moves.
      </div>
    );
  }
  return (
    <div
      data-testid="gantt"
      role="img"
      aria-label={`Timeline of ${w.moves.length} moves: predicted ${formatDuration(plan.makespanMs)}${nowMs !== null ? `, ${formatDuration(nowMs)} elapsed` : ""}`}
      className="space-y-1 rounded border border-slate-800 p-2"
    >
      <Legend />
      <div className="relative ml-[11rem] h-4 text-[10px] text-slate-500" aria-hidden>
        {ticks.map((t) => (
          <span key={t} className="absolute -translate-x-1/2" style={{ left: pct(t) }}>
            {formatDuration(t)}
          </span>
        ))}
      </div>
      <div className="max-h-[32rem] overflow-y-auto">
        <div className="relative">
          {w.moves.map((m) => (
            <div key={m.id} className="flex h-6 items-center border-t border-slate-800/60" data-gantt-vm={m.vmName}>
              <div
                className="truncate pr-2 text-xs"
                style={{ width: LABEL_W, minWidth: LABEL_W }}
                title={`${displayName(m.vmName)}: ${displayName(m.sourceHost)} → ${displayName(m.destHost)}`}
              >
                {displayName(m.vmName)} <span className="text-slate-500">→ {displayName(m.destHost)}</span>
              </div>
              <div className="relative h-full flex-1">
                <div
                  className="absolute top-0.5 h-2 rounded-sm border border-sky-400/80 bg-sky-400/10"
                  style={{ left: pct(m.plannedStartMs), width: `max(2px, ${pct(m.plannedEndMs - m.plannedStartMs)})` }}
                  title={`planned +${formatDuration(m.plannedStartMs)} → +${formatDuration(m.plannedEndMs)}`}
                  data-bar="planned"
                />
                {m.history.map((a) => (
                  <ActualBar
                    key={a.migrationId}
                    a={a}
                    from={offset(a.startedAt ?? a.createdAt)}
                    to={offset(a.endedAt) ?? nowMs}
                    pct={pct}
                  />
                ))}
              </div>
            </div>
          ))}
          {live && nowMs !== null && (
            <div
              aria-hidden
              data-testid="gantt-now"
              className="pointer-events-none absolute inset-y-0 w-px bg-amber-400"
              style={{ left: `calc(${LABEL_W} + (100% - ${LABEL_W}) * ${Math.min(1, nowMs / domain)})` }}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function ActualBar({
  a,
  from,
  to,
  pct,
}: {
  a: AttemptView;
  from: number | null;
  to: number | null;
  pct: (ms: number) => string;
}) {
  if (from === null || to === null) return null;
  return (
    <div
      className={`absolute bottom-0.5 h-2 rounded-sm ${ATTEMPT_COLOR[a.state] ?? "bg-slate-500"}`}
      style={{ left: pct(from), width: `max(2px, ${pct(Math.max(0, to - from))})` }}
      title={`${a.state} on ${displayName(a.destHost)}: +${formatDuration(from)} → +${formatDuration(to)}${a.error ? ` — ${a.error}` : ""}`}
      data-bar="actual"
      data-state={a.state}
    />
  );
}

function Legend() {
  return (
    <div className="flex flex-wrap gap-4 text-xs text-slate-400" aria-hidden>
      <span className="flex items-center gap-1">
        <span className="inline-block h-2 w-4 rounded-sm border border-sky-400/80 bg-sky-400/10" /> planned
      </span>
      <span className="flex items-center gap-1">
        <span className="inline-block h-2 w-4 rounded-sm bg-sky-400" /> running
      </span>
      <span className="flex items-center gap-1">
        <span className="inline-block h-2 w-4 rounded-sm bg-emerald-500" /> completed
      </span>
      <span className="flex items-center gap-1">
        <span className="inline-block h-2 w-4 rounded-sm bg-rose-500" /> failed attempt
      </span>
      <span className="flex items-center gap-1">
        <span className="inline-block h-0.5 w-4 bg-amber-400" /> now
      </span>
    </div>
  );
}
