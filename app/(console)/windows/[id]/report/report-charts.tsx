// The report's charts as plain positioned divs, rendered on the server: nothing to hydrate, and a
// bounded number of shapes whatever the window's size (top N bars, 11 bins, host lanes beyond 40
// VMs). The PDF draws the same data with the same rules (lib/reports/report-pdf.ts).
import Link from "next/link";
import type { ReactNode } from "react";
import { duration } from "@/lib/migration/text";
import type { Bars, Gantt, HistogramBin } from "@/lib/reports/report-charts";
import type { TrendRow } from "@/lib/reports/window-report";
import { displayName } from "@/lib/format";

function Frame({
  title,
  testId,
  note,
  children,
}: {
  title: string;
  testId: string;
  note?: string;
  children: ReactNode;
}) {
  return (
    <figure data-testid={testId} className="min-w-0 space-y-2 rounded border border-slate-800 bg-slate-900/40 p-3">
      <figcaption className="text-sm font-semibold text-slate-200">{title}</figcaption>
      {children}
      {note && <p className="text-xs text-slate-500">{note}</p>}
    </figure>
  );
}

const pct = (v: number, max: number) => `${Math.max(0, Math.min(100, (v / Math.max(1, max)) * 100))}%`;

export function SortedBars({
  title,
  testId,
  data,
  budgetMs,
}: {
  title: string;
  testId: string;
  data: Bars;
  budgetMs?: number;
}) {
  const max = Math.max(budgetMs ?? 0, data.bars[0]?.valueMs ?? 0);
  return (
    <Frame
      title={title}
      testId={testId}
      note={
        data.hidden ? `${data.hidden} shorter ones not drawn: every migration is in the table and the CSV.` : undefined
      }
    >
      {data.bars.length === 0 ? (
        <p className="text-sm text-slate-500">No completed migration.</p>
      ) : (
        <ol className="space-y-0.5">
          {data.bars.map((b) => (
            <li
              key={b.migrationId}
              className="flex items-center gap-2 text-xs"
              data-bar-vm={b.vmName}
              data-value={b.valueMs}
            >
              <Link
                href={`/migrations/${b.migrationId}`}
                className="w-36 shrink-0 truncate text-sky-300 hover:underline"
                title={b.vmName}
              >
                {displayName(b.vmName)}
              </Link>
              <div className="relative h-3 flex-1">
                <div
                  className={`absolute inset-y-0 left-0 rounded-sm ${b.over ? "bg-rose-500" : "bg-sky-500"}`}
                  style={{ width: pct(b.valueMs, max) }}
                />
                {budgetMs !== undefined && (
                  <div
                    aria-hidden
                    className="absolute inset-y-[-2px] w-px bg-amber-400"
                    style={{ left: pct(budgetMs, max) }}
                  />
                )}
              </div>
              <span className="w-16 shrink-0 text-right tabular-nums">{duration(b.valueMs)}</span>
            </li>
          ))}
        </ol>
      )}
    </Frame>
  );
}

export function DowntimeHistogram({ bins, budgetMs }: { bins: HistogramBin[]; budgetMs: number }) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  return (
    <Frame
      title="Downtime distribution (VMs per range)"
      testId="downtime-histogram"
      note={`Red: over the ${budgetMs} ms budget.`}
    >
      <div className="flex h-40 items-end gap-1">
        {bins.map((b) => (
          <div
            key={b.fromMs}
            className="flex h-full flex-1 flex-col justify-end text-center"
            data-bin-from={b.fromMs}
            data-count={b.count}
          >
            <span className="text-[10px] tabular-nums text-slate-300">{b.count || ""}</span>
            <div
              className={`rounded-t-sm ${b.over ? "bg-rose-500" : "bg-sky-500"}`}
              style={{ height: pct(b.count, max), minHeight: b.count ? 2 : 0 }}
            />
            <span className="mt-1 text-[10px] text-slate-500">
              {b.toMs === null ? `>${Math.round(b.fromMs)}` : `≤${Math.round(b.toMs)}`}
            </span>
          </div>
        ))}
      </div>
    </Frame>
  );
}

export function ReportGantt({ gantt }: { gantt: Gantt }) {
  const at = (ms: number) => pct(ms, gantt.domainMs);
  return (
    <Frame
      title={`Planned vs actual${gantt.by === "source-host" ? " (per source host)" : ""}`}
      testId="report-gantt"
      note={`Outline: planned; green: completed; red: failed or aborted. 0 → ${duration(gantt.domainMs)} after the run started.${gantt.by === "source-host" ? " Moves of one host are merged into busy intervals." : ""}`}
    >
      <div className="max-h-80 space-y-0.5 overflow-y-auto">
        {gantt.lanes.map((l) => (
          <div key={l.label} className="flex h-5 items-center gap-2 text-xs" data-lane={l.label}>
            <span className="w-36 shrink-0 truncate" title={l.label}>
              {l.label}
              {gantt.by === "source-host" && <span className="text-slate-500"> ({l.count})</span>}
            </span>
            <div className="relative h-full flex-1 border-l border-slate-700">
              {l.planned.map((p, i) => (
                <div
                  key={`p${i}`}
                  className="absolute top-0.5 h-1.5 rounded-sm border border-sky-400/80"
                  style={{ left: at(p.fromMs), width: `max(2px, ${at(p.toMs - p.fromMs)})` }}
                  data-bar="planned"
                />
              ))}
              {l.actual.map((a, i) => (
                <div
                  key={`a${i}`}
                  className={`absolute bottom-0.5 h-1.5 rounded-sm ${a.state === "completed" ? "bg-emerald-500" : "bg-rose-500"}`}
                  style={{ left: at(a.fromMs), width: `max(2px, ${at(a.toMs - a.fromMs)})` }}
                  data-bar="actual"
                  data-state={a.state}
                />
              ))}
            </div>
          </div>
        ))}
      </div>
    </Frame>
  );
}

/** Two small bar series, one bar per window (oldest left): drain duration and p95 downtime. */
export function TrendChart({ trend }: { trend: (TrendRow & { current: boolean })[] }) {
  const series = [
    { title: "Drain duration", value: (t: TrendRow) => t.drainMs ?? 0 },
    { title: "p95 downtime", value: (t: TrendRow) => t.p95DowntimeMs ?? 0 },
    { title: "VMs failed", value: (t: TrendRow) => t.failed, count: true },
  ];
  return (
    <div className="grid gap-3 md:grid-cols-3" data-testid="trend-chart">
      {series.map((s) => {
        const max = Math.max(1, ...trend.map(s.value));
        return (
          <Frame key={s.title} title={s.title} testId={`trend-${s.title.toLowerCase().replace(/ /g, "-")}`}>
            <div className="flex h-24 items-end gap-1">
              {trend.map((t) => (
                <div
                  key={t.windowId}
                  className="flex h-full flex-1 flex-col justify-end"
                  title={`${t.name}: ${s.count ? s.value(t) : duration(s.value(t))}`}
                >
                  <div
                    className={`rounded-t-sm ${t.current ? "bg-amber-400" : "bg-slate-500"}`}
                    style={{ height: pct(s.value(t), max), minHeight: 1 }}
                  />
                </div>
              ))}
            </div>
          </Frame>
        );
      })}
    </div>
  );
}
