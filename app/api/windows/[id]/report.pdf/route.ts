// GET /api/windows/:id/report.pdf — the report page's content as a PDF (viewers may read it).
import { apiRoute } from "@/lib/api/handler";
import { idParam } from "@/lib/api/params";
import { getWindowReport } from "@/lib/db/window-report";
import { AppError } from "@/lib/errors";
import { renderReportPdf } from "@/lib/reports/report-pdf";
import { reportFileName } from "@/lib/reports/report-view";

export const dynamic = "force-dynamic";

export const GET = apiRoute(
  { role: "viewer", audit: "api.windows.report.pdf", params: idParam },
  async ({ req, params }) => {
    const report = await getWindowReport(params.id);
    if (!report) throw new AppError("NOT_FOUND", "No such maintenance window.");
    const pdf = await renderReportPdf(report, `${req.nextUrl.origin}/windows/${report.window.id}/report`);
    return new Response(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="${reportFileName(report.window, "pdf")}"`,
        "cache-control": "no-store",
      },
    });
  },
);
