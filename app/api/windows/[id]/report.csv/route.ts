// GET /api/windows/:id/report.csv — every migration of a window, one row each (viewers may read it).
import { apiRoute } from "@/lib/api/handler";
import { idParam } from "@/lib/api/params";
import { reportCsvResponse } from "@/lib/api/report-files";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ role: "viewer", audit: "api.windows.report.csv", params: idParam }, ({ req, params }) =>
  reportCsvResponse(params.id, req.nextUrl.origin),
);
