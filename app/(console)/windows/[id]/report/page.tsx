import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { guardedPage } from "@/lib/auth/page";
import { getWindowReport } from "@/lib/db/window-report";
import type { WindowState } from "@/lib/generated/prisma/client";
import { headlineItems, utc } from "@/lib/reports/report-view";
import { pageOf } from "@/lib/reports/window-report";
import { windowIdInput } from "@/lib/schemas/windows";
import { WINDOW_STATE_TONE } from "../../window-state";
import { DowntimeHistogram, ReportGantt, SortedBars, TrendChart } from "./report-charts";
import { ActionsList, MigrationsTable, NotConvergedTable, TrendTable } from "./report-tables";
import { displayName } from "@/lib/format";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 100;

// A maintenance window's report for managers: one server-rendered page, no client JavaScript of its
// own and no action buttons (viewers read it; nothing here acts). The URL is the shareable link;
// `?page=` pages the migrations table server-side, so a 10,000-migration window stays light.
export default guardedPage<{ id: string }, { page?: string }>("viewer", async ({ params, searchParams }) => {
  const [{ id }, { page }] = await Promise.all([params, searchParams]);
  if (!windowIdInput.safeParse({ windowId: id }).success) notFound();
  const report = await getWindowReport(id);
  if (!report) notFound();
  const w = report.window;
  const table = pageOf(report.rows, Number(page ?? 1), PAGE_SIZE);
  return (
    <article className="space-y-6" data-testid="window-report" data-window-id={w.id}>
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
          <a
            href={`/api/windows/${w.id}/report.csv`}
            download
            className="text-sky-300 hover:underline"
            data-testid="download-csv"
          >
            Migrations (CSV)
          </a>
          <a
            href={`/api/windows/${w.id}/report.pdf`}
            download
            className="text-sky-300 hover:underline"
            data-testid="download-pdf"
          >
            Report (PDF)
          </a>
        </nav>
      </header>
      {w.state !== "completed" && w.state !== "cancelled" && (
        <p className="text-sm text-amber-300" data-testid="report-provisional">
          This window is {w.state}: the figures cover what has happened so far.
        </p>
      )}

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

      <section aria-labelledby="charts-heading" className="space-y-3">
        <h2 id="charts-heading" className="text-lg font-semibold">
          Charts
        </h2>
        <div className="grid gap-3 lg:grid-cols-2">
          <SortedBars title="Migration time per VM (longest first)" testId="duration-bars" data={report.durationBars} />
          <SortedBars
            title={`Downtime per VM (budget ${w.downtimeBudgetMs} ms)`}
            testId="downtime-bars"
            data={report.downtimeBars}
            budgetMs={w.downtimeBudgetMs}
          />
        </div>
        <div className="grid gap-3 lg:grid-cols-2">
          <DowntimeHistogram bins={report.histogram} budgetMs={w.downtimeBudgetMs} />
          <ReportGantt gantt={report.gantt} />
        </div>
      </section>

      <NotConvergedTable rows={report.notConverged} />

      <section aria-labelledby="trend-heading" className="space-y-2">
        <h2 id="trend-heading" className="text-lg font-semibold">
          Compared with earlier windows
        </h2>
        <TrendChart trend={report.trend} />
        <TrendTable trend={report.trend} />
      </section>

      <MigrationsTable
        rows={table.rows}
        total={report.rows.length}
        page={table.page}
        pages={table.pages}
        pageSize={PAGE_SIZE}
        windowId={w.id}
        budgetMs={w.downtimeBudgetMs}
      />
    </article>
  );
});
