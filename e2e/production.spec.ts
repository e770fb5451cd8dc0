// Issue 18.5: the production commands, as README "Run it in production" gives them — no demo stack,
// no embedded defaults inside Convoy: a fresh Postgres, `convoy migrate`, `convoy create-user`,
// `convoy web` and `convoy worker`. A simulated hypervisor stands in for a real one (registered the
// way an inventory import pins a host); the web server and worker start no simulator.
import { spawnSync } from "node:child_process";
import { get } from "node:http";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { dropAndCreateDatabase, type Database, startDatabase } from "../scripts/lib/database";
import { startProcess, stopAll, tsxArgs, waitForReadyLine } from "../scripts/lib/processes";
import type { SimReady } from "../scripts/lib/stack";
import { expect, test } from "./fixtures";

const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = path.join(ROOT, ".data", "e2e-production");
const WEB_PORT = Number(process.env.E2E_PORT ?? 3100) + 20;
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 54339) + 20;
const ADMIN = { username: "prod-admin", password: "Lantern-quarry-47-orbit-maple" };

let database: Database;

/** Status and body of a GET on a fresh connection (no keep-alive socket reused across the test's pauses). */
function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5_000 }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("timeout", function (this: import("node:http").ClientRequest) {
        this.destroy(new Error("timeout"));
      })
      .on("error", reject);
  });
}
let env: Record<string, string>;

// `npm run convoy -- …` runs exactly this command line; without npm in between, stopping the test's
// processes stops the servers themselves.
const CONVOY = ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts/convoy.ts")];
const convoy = (args: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...CONVOY, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...extraEnv },
    encoding: "utf8",
  });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  rmSync(DATA, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  database = await startDatabase({ dataDir: path.join(DATA, "pg"), port: PG_PORT, dbName: "convoy_production" });
  await dropAndCreateDatabase(database.url);
  env = {
    DATABASE_URL: database.url,
    CONVOY_SECRET_KEY: randomBytes(32).toString("base64"),
    CONVOY_DATA_DIR: DATA,
    CONVOY_INVENTORY_INTERVAL_MS: "2000",
  };
});

test.afterAll(async () => {
  await stopAll();
  await database?.stop();
});

test("convoy migrate / create-user / web / worker: ready, sign-in, the worker reads a host", async ({ page }) => {
  test.setTimeout(240_000);
  expect(convoy(["web"], { DATABASE_URL: "" }).stderr).toContain("DATABASE_URL is not set");

  // The web server starts before the schema exists: alive, not ready, and it says why.
  startProcess("prod-web", process.execPath, [...CONVOY, "web", "--host", "127.0.0.1", "--port", String(WEB_PORT)], {
    env,
  });
  const base = `http://127.0.0.1:${WEB_PORT}`;
  await expect
    .poll(async () => (await httpGet(`${base}/api/health/live`).catch(() => null))?.status, { timeout: 60_000 })
    .toBe(200);
  const notReady = await httpGet(`${base}/api/health/ready`);
  expect(notReady.status).toBe(503);
  expect(JSON.parse(notReady.body).reason).toMatch(/not initialised|not applied/);

  expect(convoy(["migrate"]).status).toBe(0);
  await expect
    .poll(async () => (await httpGet(`${base}/api/health/ready`).catch((e: Error) => ({ status: e.message }))).status, {
      timeout: 30_000,
    })
    .toBe(200);

  // A weak password is refused with the schema's reason; the real one creates the admin once.
  expect(convoy(["create-user", ADMIN.username, "admin"], { CONVOY_NEW_PASSWORD: "short" }).status).toBe(2);
  const made = convoy(["create-user", ADMIN.username, "admin"], { CONVOY_NEW_PASSWORD: ADMIN.password });
  expect(made.stdout, made.stderr).toContain(`created admin ${ADMIN.username}`);

  // A hypervisor to read: one simulated host, pinned as an inventory import would pin it.
  const sim = await waitForReadyLine<SimReady>(
    "prod-sim",
    process.execPath,
    tsxArgs(
      path.join(ROOT, "sim/main.ts"),
      "--fleet",
      path.join(ROOT, "sim/fleets/test-small.yaml"),
      "--key-dir",
      path.join(DATA, "sim-keys"),
      "--base-port",
      "0",
      "--control-port",
      "0",
      "--time-scale",
      "1",
    ),
    env,
    true,
  );
  const simState = path.join(DATA, "sim-state.json");
  writeFileSync(simState, JSON.stringify(sim));
  const seeded = spawnSync(
    process.execPath,
    tsxArgs(
      path.join(ROOT, "scripts/seed.ts"),
      "--sim",
      simState,
      "--fleet",
      path.join(ROOT, "sim/fleets/test-small.yaml"),
    ),
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  );
  expect(seeded.status, seeded.stderr).toBe(0);

  startProcess("prod-worker", process.execPath, [...CONVOY, "worker"], { env });
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  try {
    await expect
      .poll(
        async () =>
          Number(
            (
              await sql.query<{ n: string }>(
                `SELECT count(*) n FROM "Vm" v JOIN "Host" h ON h.id = v."hostId" WHERE h."lastSeenAt" IS NOT NULL`,
              )
            ).rows[0]?.n,
          ),
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
  } finally {
    await sql.end();
  }

  await page.goto(`${base}/login`);
  await page.getByLabel("User name").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(ADMIN.username);
  await expect(page.locator('[data-vm="stress-vm"]')).toBeVisible({ timeout: 20_000 });
});
