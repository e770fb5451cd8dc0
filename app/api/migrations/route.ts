// GET /api/migrations — in-flight migrations and the filtered history (polled by the migrations page).
import type { NextRequest } from "next/server";
import { migrationListQuery } from "@/lib/schemas/migration-list";
import { getMigrationList } from "@/lib/db/migration-list";
import { requireApiUser } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest) {
  const user = await requireApiUser(req, "viewer", "migrations.read");
  if (user instanceof Response) return user;
  const parsed = migrationListQuery.safeParse(Object.fromEntries(req.nextUrl.searchParams));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join(".") || "_";
      fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
    }
    return Response.json({ error: "invalid filters", fieldErrors }, { status: 400 });
  }
  return Response.json(await getMigrationList(parsed.data), { headers: { "cache-control": "no-store" } });
}
