// The report page's sections, each from the report alone: the header with its links, the headline
// figures, who stepped in, the charts and the trend. Server-rendered, no client code of their own.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { displayName } from "@/lib/format";
import type { WindowState } from "@/lib/generated/prisma/client";
import { headlineItems, utc } from "@/lib/reports/report-view";
import type { WindowReport } from "@/lib/reports/window-report";
import { WINDOW_STATE_TONE } from "../../window-state";
import { DowntimeHistogram, ReportGantt, SortedBars, TrendChart } from "./report-charts";
import { ActionsList, TrendTable } from "./report-tables";

type ReportWindow = WindowReport["window"];

export function ReportHeader({ w }: { w: ReportWindow }) {
  return (
    <header className="flex flex-wrap items-baseline gap-3">
      <h1 className="text-xl font-semibold">Report: {displayName(w.name)}</h1>
      <Badge tone={WINDOW_STATE_TONE[w.state as WindowState] ?? "slate"}>{w.state}</Badge>
      <span className="text-xs text-slate-400">
        run {utc(w.startedAt)} → {utc(w.endedAt)}
      </span>
      <nav className="ml-auto flex gap-3 text-sm" aria-label="Report">
        <Link href={`/windows/${w.id}`} className="text-sky-300 hover:underline">
          Window
        </Link>
        <DownloadLink href={`/api/windows/${w.id}/report.csv`} testId="download-csv">
          Migrations (CSV)
        </DownloadLink>
        <DownloadLink href={`/api/windows/${w.id}/report.pdf`} testId="download-pdf">
          Report (PDF)
        </DownloadLink>
      </nav>
    </header>
  );
}

function DownloadLink({ href, testId, children }: { href: string; testId: string; children: string }) {
  return (
    <a href={href} download className="text-sky-300 hover:underline" data-testid={testId}>
      {children}
    </a>
  );
}

export function HeadlineFigures({ report }: { report: WindowReport }) {
  return (
    <section aria-label="Headline figures" className="grid gap-2 sm:grid-cols-3 lg:grid-cols-6">
      {headlineItems(report).map((h) => (
        <div
          key={h.key}
          className="rounded border border-slate-800 p-2"
          data-testid={`headline-${h.key}`}
          data-value={h.value ?? ""}
        >
          <div className="text-xs uppercase tracking-wide text-slate-400">{h.label}</div>
          <div className={`text-lg font-semibold tabular-nums ${h.alarm ? "text-rose-300" : ""}`}>{h.text}</div>
          {h.detail && <div className="text-xs text-slate-500">{h.detail}</div>}
        </div>
      ))}
    </section>
  );
}

/** Who stepped in (operators, the escalation policy) and what the plan could not place. */
export function ReportInterventions({ report }: { report: WindowReport }) {
  return (
    <div className="grid gap-3 lg:grid-cols-3">
      <ActionsList
        title="Operator interventions"
        testId="interventions"
        empty="No operator stepped in."
        items={report.interventions.map((i) => ({
          key: `${i.kind}-${i.button}-${i.actor}`,
          text: `${i.kind === "window" ? "Window" : "Migration"} ${i.button}`,
          who: i.actor,
          count: i.count,
        }))}
      />
      <ActionsList
        title="Escalations triggered"
        testId="escalations"
        empty="The escalation policy never stepped in."
        items={report.escalations.map((e) => ({
          key: `${e.step}-${e.actor}`,
          text: e.step,
          who: e.actor,
          count: e.count,
        }))}
      />
      <ActionsList
        title="VMs not placed"
        testId="unplaced"
        empty="The plan placed every VM."
        items={report.unplaced.map((u) => ({ key: u.vmName, text: u.vmName, who: u.reason, count: null }))}
      />
    </div>
  );
}

export function ReportChartsSection({ report }: { report: WindowReport }) {
  const budgetMs = report.window.downtimeBudgetMs;
  return (
    <section aria-labelledby="charts-heading" className="space-y-3">
      <h2 id="charts-heading" className="text-lg font-semibold">
        Charts
      </h2>
      <div className="grid gap-3 lg:grid-cols-2">
        <SortedBars title="Migration time per VM (longest first)" testId="duration-bars" data={report.durationBars} />
        <SortedBars
          title={`Downtime per VM (budget ${budgetMs} ms)`}
          testId="downtime-bars"
          data={report.downtimeBars}
          budgetMs={budgetMs}
        />
      </div>
      <div className="grid gap-3 lg:grid-cols-2">
        <DowntimeHistogram bins={report.histogram} budgetMs={budgetMs} />
        <ReportGantt gantt={report.gantt} />
      </div>
    </section>
  );
}

export function TrendSection({ trend }: { trend: WindowReport["trend"] }) {
  return (
    <section aria-labelledby="trend-heading" className="space-y-2">
      <h2 id="trend-heading" className="text-lg font-semibold">
        Compared with earlier windows
      </h2>
      <TrendChart trend={trend} />
      <TrendTable trend={trend} />
    </section>
  );
}
