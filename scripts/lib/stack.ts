// Starts Convoy's whole stack on embedded defaults: Postgres, schema migrations, seed users,
// the simulated fleet, the workers and the web servers (any number of each on the one Postgres).
// Used by `npm run demo`, the e2e server, the scale-out test and the load bench.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_SETTLE_MS, settleWallMs } from "../../lib/migration/guest-health";
import { dropAndCreateDatabase, startDatabase } from "./database";
import { startProcess, stopAll, tsxArgs, waitForHttp, waitForReadyLine } from "./processes";

export type StackOptions = {
  dataDir: string;
  pgPort: number;
  dbName: string;
  /** The simulated fleet to start and register; none for real hypervisors (the QEMU lab). */
  fleetFile?: string;
  simBasePort: number;
  simControlPort: number;
  /** The first web server's port; server i listens on webPort + i. */
  webPort: number;
  /** How many web servers and workers to run (default 1 and 1); 0 web servers skips the console build. */
  webServers?: number;
  workers?: number;
  timeScale: number;
  resetDatabase: boolean;
  /** Users to create when missing; a missing password is generated and printed once. */
  users: { username: string; role: "viewer" | "operator" | "admin"; password?: string }[];
  workerEnv?: Record<string, string>;
  /** Extra node flags for the workers (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  workerNodeArgs?: string[];
  /** Keep the children's output to themselves (the bench prints a table). */
  quiet?: boolean;
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
  /** Every web server's URL (the first is `url`). */
  urls: string[];
  databaseUrl: string;
  /** null when no fleet file was given. */
  sim: SimReady | null;
  /** The workers' and web servers' process ids (CPU and memory figures of the bench). */
  pids: () => { workers: (number | undefined)[]; web: (number | undefined)[] };
  /** Kills worker `index` (default 0) with SIGKILL (as a crash would) and starts a fresh one; for fault tests. */
  restartWorker: (opts?: { downMs?: number; index?: number }) => Promise<void>;
  /** Kills worker `index` with SIGKILL and leaves it dead (another worker adopts its work). */
  killWorker: (index: number) => Promise<void>;
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
    // A landed guest is watched for 20 s of the fleet's time: the simulator's clock runs timeScale× faster.
    CONVOY_GUEST_HEALTH_SETTLE_MS:
      process.env.CONVOY_GUEST_HEALTH_SETTLE_MS ?? String(settleWallMs(DEFAULT_SETTLE_MS, o.timeScale)),
    // Prisma's CLI skips engine downloads when these point at any file; engine "js" runs neither.
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
  };
  const shutdown = async () => {
    await stopAll();
    await db.stop();
  };
  try {
    execFileSync(bin("prisma"), ["migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });

    const fleetFile = o.fleetFile;
    const sim = fleetFile
      ? await waitForReadyLine<SimReady>(
          "sim",
          process.execPath,
          tsxArgs(
            path.join(ROOT, "sim/main.ts"),
            "--fleet",
            fleetFile,
            "--key-dir",
            path.join(o.dataDir, "sim-keys"),
            "--base-port",
            String(o.simBasePort),
            "--control-port",
            String(o.simControlPort),
            "--time-scale",
            String(o.timeScale),
          ),
          env,
          o.quiet,
        )
      : null;
    const simStateFile = path.join(o.dataDir, "sim-state.json");
    if (sim) writeFileSync(simStateFile, JSON.stringify(sim, null, 2));

    const usersFile = path.join(o.dataDir, "seed-users.json");
    writeFileSync(usersFile, JSON.stringify(o.users), { mode: 0o600 });
    const fleetArgs =
      sim && fleetFile
        ? ["--sim", simStateFile, "--fleet", fleetFile, "--skip", (o.unregisteredHosts ?? []).join(",")]
        : [];
    execFileSync(process.execPath, tsxArgs(path.join(ROOT, "scripts/seed.ts"), "--users", usersFile, ...fleetArgs), {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });

    const startWorker = (i: number) =>
      startProcess(
        o.workers && o.workers > 1 ? `worker${i + 1}` : "worker",
        process.execPath,
        [...(o.workerNodeArgs ?? []), ...tsxArgs(path.join(ROOT, "lib/worker/main.ts"))],
        { env: { ...env, ...o.workerEnv }, quiet: o.quiet },
      );
    const workers = Array.from({ length: o.workers ?? 1 }, (_, i) => startWorker(i));
    const killWorker = async (index: number) => {
      const w = workers[index];
      if (!w || w.exitCode !== null || w.signalCode !== null) return;
      const exited = new Promise((r) => w.once("exit", r));
      w.kill("SIGKILL");
      await exited;
    };
    const restartWorker = async ({ downMs = 0, index = 0 } = {}) => {
      await killWorker(index);
      await new Promise((r) => setTimeout(r, downMs));
      workers[index] = startWorker(index);
    };

    const ports = Array.from({ length: o.webServers ?? 1 }, (_, i) => o.webPort + i);
    if (ports.length > 0 && needsBuild()) {
      process.stdout.write("[web] building the console (next build)…\n");
      execFileSync(bin("next"), ["build"], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "inherit", "inherit"],
      });
    }
    const web = ports.map((port, i) =>
      startProcess(
        ports.length > 1 ? `web${i + 1}` : "web",
        process.execPath,
        ["--import", "tsx", path.join(ROOT, "scripts/web-server.ts"), "-H", "127.0.0.1", "-p", String(port)],
        {
          env: { ...env, NODE_ENV: "production" },
          quiet: o.quiet,
        },
      ),
    );
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(urls.map((u) => waitForHttp(`${u}/api/health`)));
    const pids = () => ({ workers: workers.map((w) => w.pid), web: web.map((w) => w.pid) });
    return { url: urls[0] ?? "", urls, databaseUrl: db.url, sim, pids, restartWorker, killWorker, stop: shutdown };
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
  return (
    ["app", "components", "lib", "public"].some((d) => newer(path.join(ROOT, d))) ||
    ["next.config.ts", "proxy.ts", "package-lock.json", "postcss.config.mjs"].some(
      (f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).mtimeMs > built,
    )
  );
}

/** The stack's simulator, for callers that started one. */
export function simOf(stack: Pick<Stack, "sim">): SimReady {
  if (!stack.sim) throw new Error("this stack runs no simulated fleet");
  return stack.sim;
}
