// GET /metrics — Prometheus scrape target of this web server: its own counters (actions) plus the
// fleet-wide gauges from Postgres. A scraper sends `Authorization: Bearer $CONVOY_METRICS_TOKEN`;
// an admin can open it in the browser.
import type { NextRequest } from "next/server";
import { requireApiUser } from "@/lib/auth/route";
import { noQuery, parseQuery } from "@/lib/http/query";
import { EXPOSITION, bearerAllowed } from "@/lib/metrics/access";
import { metrics } from "@/lib/metrics/convoy";
import { refreshDbGauges } from "@/lib/metrics/db-gauges";
import { setBuildInfo } from "@/lib/metrics/build-info";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  if (!bearerAllowed(req.headers.get("authorization"))) {
    const user = await requireApiUser(req, "admin", "metrics");
    if (user instanceof Response) return user;
  }
  const query = parseQuery(req, noQuery);
  if (query instanceof Response) return query;
  setBuildInfo("web");
  await refreshDbGauges();
  return new Response(metrics().registry.render(), {
    headers: { "content-type": EXPOSITION, "cache-control": "no-store" },
  });
}
