// Issue 7.4: two web servers and two workers on one Postgres, with their own stack (own Postgres,
// sim/fleets/scale-out.yaml at 20×). A long migration started on server A is followed live on A
// and on B; a drain runs from B; the worker holding the migration is killed and the other adopts
// it. Each job is taken once: the simulator counts `virsh migrate` per VM.
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { type Stack, simOf, startStack } from "../scripts/lib/stack";
import { expect, login, test } from "./fixtures";
import { E2E_USERS } from "./users";

const ROOT = path.resolve(import.meta.dirname, "..");
let stack: Stack;
let sql: pg.Client;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startStack({
    dataDir: path.join(ROOT, ".data", "e2e-scale-out"),
    // Its own ports (E2E_SCALE_PORT, +1 and E2E_SCALE_PG_PORT when two checkouts share a machine).
    pgPort: Number(process.env.E2E_SCALE_PG_PORT ?? Number(process.env.E2E_PG_PORT ?? 54339) + 10),
    dbName: "convoy_scale_out",
    fleetFile: path.join(ROOT, "sim/fleets/scale-out.yaml"),
    simBasePort: 0,
    simControlPort: 0,
    webPort: Number(process.env.E2E_SCALE_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 10),
    webServers: 2,
    workers: 2,
    timeScale: 20,
    resetDatabase: true,
    users: E2E_USERS,
    workerEnv: { CONVOY_INVENTORY_INTERVAL_MS: "2000" },
    quiet: true,
  });
  sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
});

test.afterAll(async () => {
  await sql?.end();
  await stack?.stop();
});

const one = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) =>
  (await sql.query<T>(text, params)).rows[0];
const simStats = async () =>
  (await (await fetch(`${simOf(stack).control}/stats`)).json()) as { migrateCalls: Record<string, number> };

async function operatorOn(browser: Browser, baseURL: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await login(page, "operator");
  return page;
}

/** Records every sample the page shows (its live stats' data-sample-at), as the stream delivers them. */
async function recordShownSamples(page: Page): Promise<void> {
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="live-stats"]');
    const w = window as unknown as { __shown: string[] };
    w.__shown = [el?.getAttribute("data-sample-at") ?? ""];
    new MutationObserver(() => w.__shown.push(el?.getAttribute("data-sample-at") ?? "")).observe(el as Element, {
      attributes: true,
      attributeFilter: ["data-sample-at"],
    });
  });
}
const shown = (page: Page) => page.evaluate(() => (window as unknown as { __shown: string[] }).__shown);

/** A sample newer than any shown yet appears on A, and the same sample on B (the other web server). */
async function expectSameNewSampleOnBoth(a: Page, b: Page): Promise<void> {
  const seen = new Set([...(await shown(a)), ...(await shown(b))]);
  let fresh: string[] = [];
  await expect
    .poll(
      async () => {
        fresh = (await shown(a)).filter((at) => at && !seen.has(at));
        return fresh.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await expect.poll(async () => (await shown(b)).some((at) => fresh.includes(at)), { timeout: 10_000 }).toBe(true);
}

test("two web servers and two workers share one Postgres: jobs taken once, live updates on both, adoption", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  await expect
    .poll(
      async () => (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Host" WHERE "lastSeenAt" IS NOT NULL`))?.n,
      { timeout: 30_000 },
    )
    .toBe(4);
  const a = await operatorOn(browser, stack.urls[0] ?? "");
  const b = await operatorOn(browser, stack.urls[1] ?? "");

  // A migration that stays in flight (8 MiB/s, below the guest's dirty rate; no auto-converge, no
  // policy), started on server A.
  const big = await one<{ id: string }>(`SELECT id FROM "Vm" WHERE name = 'big'`);
  await a.goto(`/vms/${big?.id}`);
  await a.getByLabel("Destination").selectOption({ label: "so4" });
  await a.getByRole("button", { name: "Run pre-checks" }).click();
  await expect(a.getByTestId("prechecks")).toContainText("all checks pass");
  await a.getByLabel(/^Auto-converge/).uncheck();
  await a.getByLabel("Escalation policy").selectOption("none");
  await a.getByLabel("Bandwidth cap (MiB/s)").fill("8");
  await a.getByRole("button", { name: "Start migration" }).click();
  await a.waitForURL(/\/migrations\/[0-9a-f-]{36}$/);
  const migrationId = a.url().split("/").pop() ?? "";
  await b.goto(`/migrations/${migrationId}`);
  for (const p of [a, b]) {
    await expect(p.getByTestId("migration-state")).toHaveAttribute("data-state", "running", { timeout: 30_000 });
    await expect(p.getByTestId("connection-status")).toHaveAttribute("data-connection", "live");
    await recordShownSamples(p);
  }
  await expectSameNewSampleOnBoth(a, b);

  // A drain of so1 (three guests), run from server B.
  const drainPage = await b.context().newPage();
  await drainPage.goto("/windows");
  const form = drainPage.getByTestId("new-window-form");
  await form.getByLabel("Name").fill("scale-out drain");
  await form.getByRole("group", { name: "Hosts to drain" }).getByRole("checkbox", { name: /^so1 / }).check();
  await form.getByRole("button", { name: "Create window" }).click();
  await drainPage.waitForURL(/\/windows\/[0-9a-f-]{36}$/);
  const windowId = drainPage.url().split("/").pop() ?? "";
  await drainPage.getByRole("button", { name: /^(Re-)?[Pp]lan \(dry run\)$/ }).click();
  await expect(drainPage.getByTestId("window-state")).toHaveAttribute("data-state", "planned", { timeout: 30_000 });
  await drainPage.getByRole("button", { name: "Run", exact: true }).click();
  await drainPage.getByRole("dialog").getByRole("button", { name: "Run the drain" }).click();

  // Kill the worker holding the long migration: the other one adopts it once the lease lapses.
  const owner = async () =>
    (await one<{ ownerId: string | null }>(`SELECT "ownerId" FROM "LiveMigration" WHERE id = $1`, [migrationId]))
      ?.ownerId ?? "";
  const pidOf = (ownerId: string) => Number(ownerId.split(":")[1]);
  const before = await owner();
  const killed = stack.pids().workers.indexOf(pidOf(before));
  expect(killed).toBeGreaterThanOrEqual(0);
  await stack.killWorker(killed);
  const survivor = stack.pids().workers[1 - killed];
  await expect.poll(async () => pidOf(await owner()), { timeout: 30_000 }).toBe(survivor);
  await expectSameNewSampleOnBoth(a, b);

  // The drain completes (its moves, whichever worker had claimed them, finished by the survivor).
  await expect
    .poll(
      async () =>
        (await one<{ state: string }>(`SELECT state::text FROM "MaintenanceWindow" WHERE id = $1`, [windowId]))?.state,
      { timeout: 90_000 },
    )
    .toBe("completed");
  const moves = (
    await sql.query<{ vm: string; state: string }>(
      `SELECT m."vmName" AS vm, l.state::text AS state FROM "EvacuationMove" m JOIN "LiveMigration" l ON l.id = m."migrationId" WHERE m."windowId" = $1`,
      [windowId],
    )
  ).rows;
  expect(moves.map((m) => m.vm).sort()).toEqual(["drain-a", "drain-b", "drain-c"]);
  expect(moves.every((m) => m.state === "completed")).toBe(true);

  // Each job was taken once: one `virsh migrate` per VM, one launch event per migration.
  const stats = await simStats();
  expect(stats.migrateCalls).toEqual({ "drain-a": 1, "drain-b": 1, "drain-c": 1, big: 1 });
  const launches = (
    await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "MigrationEvent" WHERE type = 'launched' GROUP BY "migrationId"`,
    )
  ).rows;
  expect(launches.map((l) => l.n)).toEqual([1, 1, 1, 1]);

  // The survivor now reads every host's inventory.
  const checked = new Date().toISOString();
  await expect
    .poll(
      async () =>
        (await one<{ n: number }>(`SELECT count(*)::int AS n FROM "Host" WHERE "lastCheckedAt" > $1`, [checked]))?.n,
      { timeout: 20_000 },
    )
    .toBe(4);
});
