import { notFound } from "next/navigation";
import { guardedPage } from "@/lib/auth/page";
import { getWindowReport } from "@/lib/db/window-report";
import { pageOf } from "@/lib/reports/window-report";
import { windowIdInput } from "@/lib/schemas/windows";
import {
  HeadlineFigures,
  ReportChartsSection,
  ReportHeader,
  ReportInterventions,
  TrendSection,
} from "./report-sections";
import { MigrationsTable, NotConvergedTable } from "./report-tables";

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
      <ReportHeader w={w} />
      {w.state !== "completed" && w.state !== "cancelled" && (
        <p className="text-sm text-amber-300" data-testid="report-provisional">
          This window is {w.state}: the figures cover what has happened so far.
        </p>
      )}
      <HeadlineFigures report={report} />
      <ReportInterventions report={report} />
      <ReportChartsSection report={report} />
      <NotConvergedTable rows={report.notConverged} />
      <TrendSection trend={report.trend} />
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
