import "server-only";
import { readdirSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db/client";

export type Readiness = { ok: true } | { ok: false; reason: string };

/**
 * Ready = Postgres answers and every schema migration shipped with this build is applied (a new
 * version started before `convoy migrate` would query columns that do not exist yet).
 */
export async function readiness(): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRaw<
      { name: string }[]
    >`SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = new Set(rows.map((r) => r.name));
  } catch {
    return { ok: false, reason: "database unreachable or not initialised" };
  }
  const shipped = readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const pending = shipped.filter((m) => !applied.has(m));
  return pending.length
    ? { ok: false, reason: `${pending.length} schema migration(s) not applied: run \`npm run convoy -- migrate\`` }
    : { ok: true };
}

/** Whether Postgres answers at all (the cheap liveness probe of /api/health). */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}
