// A database of its own, for tests that compare whole-table checksums, TRUNCATE, or cut Postgres
// off: the other test files share vitest's Postgres and write to it concurrently. Call before the
// first import of lib/db.
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { dropAndCreateDatabase } from "../../scripts/lib/database";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Creates `<name>_<pid>`, applies the migrations, points DATABASE_URL at it; returns a cleanup. */
export async function useIsolatedDatabase(name: string): Promise<() => Promise<void>> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set (vitest globalSetup)");
  const url = new URL(base);
  url.pathname = `/${name}_${process.pid}`;
  await dropAndCreateDatabase(url.toString());
  execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma.mjs"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.DATABASE_URL = url.toString();
  return async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    await c.end();
  };
}

/** md5 of every row of every application table (audit and sessions left out), by table. */
export async function tableChecksums(
  client: { $queryRawUnsafe: <T>(q: string) => Promise<T> },
  skip: string[] = ["AuditLog"],
): Promise<Record<string, string>> {
  const tables = await client.$queryRawUnsafe<{ t: string }[]>(
    "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'",
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    if (skip.includes(t)) continue;
    const [row] = await client.$queryRawUnsafe<{ sum: string | null }[]>(
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS sum FROM "${t}" x`,
    );
    out[t] = row?.sum ?? "";
  }
  return out;
}
