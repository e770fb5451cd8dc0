// vitest globalSetup: a real Postgres with a fresh database and the committed migrations applied,
// for the integration tests under tests/. Each run gets its own throw-away cluster (own directory,
// free port), so concurrent runs never share state; DATABASE_URL_TEST uses an external server.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropAndCreateDatabase, startDatabase } from "../../scripts/lib/database";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default async function setup(): Promise<() => Promise<void>> {
  delete process.env.DATABASE_URL; // never touch the demo's or a real database from tests
  const external = process.env.DATABASE_URL_TEST;
  if (external) process.env.DATABASE_URL = external;
  const parent = mkdtempSync(path.join(tmpdir(), "convoy-test-pg-"));
  chmodSync(parent, 0o777);
  const db = await startDatabase({ dataDir: path.join(parent, "pg"), port: await freePort(), dbName: "convoy_test", persistent: false });
  await dropAndCreateDatabase(db.url);
  execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma.mjs"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.DATABASE_URL = db.url;
  process.env.CONVOY_DATA_DIR = parent;
  return () => db.stop();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}
