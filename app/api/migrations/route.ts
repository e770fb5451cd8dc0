// GET /api/migrations — in-flight migrations and the filtered history (polled by the migrations page).
import { apiRoute } from "@/lib/api/handler";
import { getMigrationList } from "@/lib/db/migration-list";
import { migrationListQuery } from "@/lib/schemas/migration-list";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ role: "viewer", audit: "api.migrations.read", query: migrationListQuery }, ({ query }) =>
  getMigrationList(query),
);
