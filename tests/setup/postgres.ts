// vitest globalSetup: a real Postgres with a fresh database and the committed migrations applied,
// for the integration tests under tests/. Each run gets its own throw-away cluster, started in a
// child process (scripts/test-postgres.ts) so its exit hooks cannot touch vitest's exit code.
// DATABASE_URL_TEST points the tests at an external server instead.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const ROOT = path.resolve(import.meta.dirname, "../..");

export default async function setup(): Promise<() => Promise<void>> {
  delete process.env.DATABASE_URL; // never touch the demo's or a real database from tests
  let child: ChildProcess | null = null;
  let url = process.env.DATABASE_URL_TEST;
  let dataDir = path.join(ROOT, ".data", "test");
  if (!url) {
    child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/test-postgres.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const ready = await new Promise<{ url: string; dataDir: string }>((resolve, reject) => {
      child?.once("exit", (code) => reject(new Error(`test Postgres exited with ${code}`)));
      if (!child?.stdout) return reject(new Error("no stdout"));
      createInterface({ input: child.stdout }).on("line", (line) => {
        if (line.startsWith("{")) resolve(JSON.parse(line));
      });
    });
    url = ready.url;
    dataDir = ready.dataDir;
  }
  execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma.mjs"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.env.DATABASE_URL = url;
  process.env.CONVOY_DATA_DIR = dataDir;
  return async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child?.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
}
