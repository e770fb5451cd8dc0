import "server-only";
import { getWindowReport } from "@/lib/db/window-report";
import { AppError } from "@/lib/errors";
import { migrationsCsv } from "@/lib/reports/csv";
import { reportFileName } from "@/lib/reports/report-view";

/** A window's migrations as the CSV download (the console's link and the v1 API serve the same file). */
export async function reportCsvResponse(windowId: string, origin: string): Promise<Response> {
  const report = await getWindowReport(windowId);
  if (!report) throw new AppError("NOT_FOUND", "No such maintenance window.");
  return new Response(migrationsCsv(report, origin), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${reportFileName(report.window, "csv")}"`,
      "cache-control": "no-store",
    },
  });
}
