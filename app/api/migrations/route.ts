// GET /api/migrations — in-flight migrations and the filtered history (polled by the migrations page).
import type { NextRequest } from "next/server";
import { migrationListQuery } from "@/lib/schemas/migration-list";
import { getMigrationList } from "@/lib/db/migration-list";
import { requireApiUser } from "@/lib/auth/route";
import { parseQuery } from "@/lib/http/query";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const user = await requireApiUser(req, "viewer", "migrations.read");
  if (user instanceof Response) return user;
  const filters = parseQuery(req, migrationListQuery);
  if (filters instanceof Response) return filters;
  return Response.json(await getMigrationList(filters), { headers: { "cache-control": "no-store" } });
}
