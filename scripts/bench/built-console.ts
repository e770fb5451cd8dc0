// The bench sections that measure pages: a database of their own (dropped, re-created and migrated,
// also on a server DATABASE_URL points at) and the console's production build under `next start`.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { dropAndCreateDatabase, startDatabase } from "../lib/database";
import { startProcess, waitForHttp } from "../lib/processes";
import { needsBuild } from "../lib/stack";

const ROOT = path.resolve(import.meta.dirname, "../..");

export async function freshDatabase(o: {
  dataDir: string;
  port: number;
  dbName: string;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const database = await startDatabase({
    dataDir: path.join(ROOT, ".data", o.dataDir),
    port: o.port,
    dbName: o.dbName,
  });
  const u = new URL(database.url);
  u.pathname = `/${o.dbName}`;
  const url = u.toString();
  try {
    await dropAndCreateDatabase(url);
    execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma.mjs"), "migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch (e) {
    await database.stop();
    throw e;
  }
  return { url, stop: database.stop };
}

/** Builds the console when a source is newer than the build, starts it on `port`; its base URL. Stop it with stopAll(). */
export async function startBuiltConsole(url: string, port: number, why: string): Promise<string> {
  const env = { DATABASE_URL: url, NEXT_TELEMETRY_DISABLED: "1", CONVOY_DATA_DIR: path.join(ROOT, ".data", "bench") };
  if (needsBuild()) {
    process.stdout.write(`(building the console ${why}: next build)\n`);
    execFileSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  startProcess("web", path.join(ROOT, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    env: { ...env, NODE_ENV: "production" },
    quiet: true,
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/api/health`);
  return base;
}
