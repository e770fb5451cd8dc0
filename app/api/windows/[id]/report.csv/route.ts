// GET /api/windows/:id/report.csv — every migration of a window, one row each (viewers may read it).
import type { NextRequest } from "next/server";
import { requireApiUser } from "@/lib/auth/route";
import { noQuery, parseQuery } from "@/lib/http/query";
import { getWindowReport } from "@/lib/db/window-report";
import { migrationsCsv } from "@/lib/reports/csv";
import { reportFileName } from "@/lib/reports/report-view";
import { windowIdInput } from "@/lib/schemas/windows";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser(req, "viewer", "windows.report.csv");
  if (user instanceof Response) return user;
  const query = parseQuery(req, noQuery);
  if (query instanceof Response) return query;
  const parsed = windowIdInput.safeParse({ windowId: (await params).id });
  if (!parsed.success) return Response.json({ error: "invalid window id" }, { status: 400 });
  const report = await getWindowReport(parsed.data.windowId);
  if (!report) return Response.json({ error: "not found" }, { status: 404 });
  return new Response(migrationsCsv(report, req.nextUrl.origin), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${reportFileName(report.window, "csv")}"`,
      "cache-control": "no-store",
    },
  });
}
