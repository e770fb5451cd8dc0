// GET /api/health/live — liveness: the web server process answers. Touches nothing else, so a
// Postgres outage never gets web servers restarted by their supervisor.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
