// GET /api/fleet — hosts and VMs as last seen (polled by the fleet page).
import type { NextRequest } from "next/server";
import { requireApiUser } from "@/lib/auth/route";
import { noQuery, parseQuery } from "@/lib/http/query";
import { getFleet } from "@/lib/db/fleet";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const user = await requireApiUser(req, "viewer", "fleet.read");
  if (user instanceof Response) return user;
  const query = parseQuery(req, noQuery);
  if (query instanceof Response) return query;
  return Response.json(await getFleet(), { headers: { "cache-control": "no-store" } });
}
