// GET /api/health — readiness for Playwright and load balancers; says nothing about the fleet.
import { databaseAnswers } from "@/lib/db/health";

export const dynamic = "force-dynamic";

export async function GET() {
  return (await databaseAnswers()) ? Response.json({ ok: true }) : Response.json({ ok: false }, { status: 503 });
}
