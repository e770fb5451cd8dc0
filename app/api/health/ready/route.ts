// GET /api/health/ready — readiness for load balancers and orchestrators: Postgres reachable and
// the schema up to date. Says nothing about the fleet; needs no session.
import { readiness } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const r = await readiness();
  return Response.json(r, { status: r.ok ? 200 : 503 });
}
