// Starts Convoy's whole stack on embedded defaults: Postgres, schema migrations, seed users,
// the simulated fleet, the worker and the web server. Used by `npm run demo` and the e2e server.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dropAndCreateDatabase, startDatabase } from "./database";
import { startProcess, stopAll, tsxArgs, waitForHttp, waitForReadyLine } from "./processes";

export type StackOptions = {
  dataDir: string;
  pgPort: number;
  dbName: string;
  fleetFile: string;
  simBasePort: number;
  simControlPort: number;
  webPort: number;
  timeScale: number;
  resetDatabase: boolean;
  /** Users to create when missing; a missing password is generated and printed once. */
  users: { username: string; role: "viewer" | "operator" | "admin"; password?: string }[];
  workerEnv?: Record<string, string>;
  /** Simulated hosts left unregistered (the e2e suite adds one through the UI). */
  unregisteredHosts?: string[];
};

export type SimReady = {
  ready: true;
  hosts: { name: string; address: string; port: number; fingerprint: string }[];
  control: string;
  clientKey: string;
  timeScale: number;
};

export type Stack = {
  url: string;
  databaseUrl: string;
  sim: SimReady;
  /** Kills the worker with SIGKILL (as a crash would) and starts a fresh one; for fault tests. */
  restartWorker: (opts?: { downMs?: number }) => Promise<void>;
  stop: () => Promise<void>;
};

const ROOT = path.resolve(import.meta.dirname, "../..");
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);

export async function startStack(o: StackOptions): Promise<Stack> {
  mkdirSync(o.dataDir, { recursive: true });
  const db = await startDatabase({ dataDir: path.join(o.dataDir, "pg"), port: o.pgPort, dbName: o.dbName });
  if (o.resetDatabase) await dropAndCreateDatabase(db.url);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    CONVOY_DATA_DIR: o.dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
    // Prisma's CLI skips engine downloads when these point at any file; engine "js" runs neither.
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
  };
  const shutdown = async () => {
    await stopAll();
    await db.stop();
  };
  try {
    execFileSync(bin("prisma"), ["migrate", "deploy"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });

    const sim = await waitForReadyLine<SimReady>(
      "sim",
      process.execPath,
      tsxArgs(
        path.join(ROOT, "sim/main.ts"),
        "--fleet", o.fleetFile,
        "--key-dir", path.join(o.dataDir, "sim-keys"),
        "--base-port", String(o.simBasePort),
        "--control-port", String(o.simControlPort),
        "--time-scale", String(o.timeScale),
      ),
      env,
    );
    const simStateFile = path.join(o.dataDir, "sim-state.json");
    writeFileSync(simStateFile, JSON.stringify(sim, null, 2));

    const usersFile = path.join(o.dataDir, "seed-users.json");
    writeFileSync(usersFile, JSON.stringify(o.users), { mode: 0o600 });
    execFileSync(process.execPath, tsxArgs(path.join(ROOT, "scripts/seed.ts"), "--users", usersFile, "--sim", simStateFile, "--fleet", o.fleetFile, "--skip", (o.unregisteredHosts ?? []).join(",")), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });

    const startWorker = () => startProcess("worker", process.execPath, tsxArgs(path.join(ROOT, "lib/worker/main.ts")), { env: { ...env, ...o.workerEnv } });
    let worker = startWorker();
    const restartWorker = async ({ downMs = 0 } = {}) => {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.kill("SIGKILL");
      await exited;
      await new Promise((r) => setTimeout(r, downMs));
      worker = startWorker();
    };

    if (needsBuild()) {
      process.stdout.write("[web] building the console (next build)…\n");
      execFileSync(bin("next"), ["build"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
    }
    startProcess("web", bin("next"), ["start", "-H", "127.0.0.1", "-p", String(o.webPort)], { env: { ...env, NODE_ENV: "production" } });
    const url = `http://127.0.0.1:${o.webPort}`;
    await waitForHttp(`${url}/api/health`);
    return { url, databaseUrl: db.url, sim, restartWorker, stop: shutdown };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

/** A build is stale when any source file is newer than it. */
export function needsBuild(): boolean {
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return newer(p);
      return statSync(p).mtimeMs > built;
    });
  return ["app", "components", "lib", "public"].some((d) => newer(path.join(ROOT, d))) ||
    ["next.config.ts", "package-lock.json", "postcss.config.mjs"].some((f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).mtimeMs > built);
}
