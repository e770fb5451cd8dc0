import { expect, type Page } from "@playwright/test";
import { test } from "./fixtures";

type Sql = <T extends Record<string, unknown>>(q: string, p?: unknown[]) => Promise<T[]>;

async function vmId(sql: Sql, name: string): Promise<string> {
  const [row] = await sql<{ id: string }>(`SELECT id FROM "Vm" WHERE name = $1 AND state = 'running'`, [name]);
  if (!row) throw new Error(`${name} is not in the inventory`);
  return row.id;
}

/** Start a migration from the VM page with auto-converge off and no policy: the operator decides. */
async function startManual(
  page: Page,
  id: string,
  dest: string,
  opts: { bandwidthMiB?: number } = {},
): Promise<string> {
  await page.goto(`/vms/${id}`);
  await page.getByLabel("Destination").selectOption({ label: dest });
  await page.getByRole("button", { name: "Run pre-checks" }).click();
  await expect(page.getByTestId("prechecks")).toContainText("all checks pass");
  await page.getByLabel(/^Auto-converge/).uncheck();
  await page.getByLabel("Escalation policy").selectOption("none");
  if (opts.bandwidthMiB) await page.getByLabel("Bandwidth cap (MiB/s)").fill(String(opts.bandwidthMiB));
  await page.getByRole("button", { name: "Start migration" }).click();
  await page.waitForURL(/\/migrations\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop() ?? "";
}

async function expectLandedOn(sql: Sql, migrationId: string, vm: string, host: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (await sql<{ state: string }>(`SELECT state FROM "LiveMigration" WHERE id = $1`, [migrationId]))[0]?.state,
      { timeout: 60_000 },
    )
    .toBe("completed");
  const [m] = await sql<{ downtimeMs: number | null; completedStats: unknown }>(
    `SELECT "downtimeMs", "completedStats" FROM "LiveMigration" WHERE id = $1`,
    [migrationId],
  );
  expect(m?.downtimeMs).toBeGreaterThan(0);
  expect(m?.completedStats).toBeTruthy();
  await expect
    .poll(
      async () =>
        (
          await sql<{ state: string }>(
            `SELECT v.state FROM "Vm" v JOIN "Host" h ON h.id = v."hostId" WHERE v.name = $1 AND h.name = $2`,
            [vm, host],
          )
        )[0]?.state,
      {
        timeout: 30_000,
      },
    )
    .toBe("running");
}

test.describe
  .serial("the reported case: a busy VM that does not converge", () => {
    test("prediction says no-go, the live page shows the plateau, and one click (auto-converge) fixes it", async ({
      page,
      loginAs,
      sql,
    }) => {
      await loginAs("operator");
      const id = await vmId(sql, "stress-vm");
      await page.goto(`/vms/${id}`);
      await page.getByRole("button", { name: "Measure dirty rate & predict" }).click();
      await page.getByLabel(/^Auto-converge/).uncheck();
      const prediction = page.getByTestId("prediction");
      await expect(prediction).toHaveAttribute("data-go", "false");
      await expect(prediction).toContainText("NO-GO");
      await expect(page.getByTestId("fixes")).toContainText("Auto-converge");
      // With auto-converge on, the predictor expects it to converge.
      await page.getByLabel(/^Auto-converge/).check();
      await expect(prediction).toHaveAttribute("data-go", "true");

      const migrationId = await startManual(page, id, "hv2");
      const verdict = page.getByTestId("verdict");
      await expect(verdict).toHaveAttribute("data-verdict", /stalled|wont-converge/, { timeout: 30_000 });
      await expect(page.getByTestId("chart-remaining")).toBeVisible();

      await page.getByRole("button", { name: /Relaunch with auto-converge/ }).click();
      await page.getByRole("button", { name: "Abort and restart" }).click();
      await page.waitForURL((u) => !u.pathname.endsWith(migrationId), { timeout: 30_000 });
      const restartId = page.url().split("/").pop() ?? "";
      await expectLandedOn(sql, restartId, "stress-vm", "hv2");
      await expect(page.getByTestId("migration-state")).toHaveAttribute("data-state", "completed", { timeout: 30_000 });
      await expect(page.getByTestId("downtime-ms")).toHaveText(/^\d+$/);
      const [first] = await sql<{ state: string }>(`SELECT state FROM "LiveMigration" WHERE id = $1`, [migrationId]);
      expect(first?.state).toBe("cancelled");
    });

    test("suspend-to-finish completes a non-converging migration and the VM runs on the destination", async ({
      page,
      loginAs,
      sql,
      sim,
    }) => {
      await loginAs("operator");
      await sim("POST", "/workload", { vm: "vm-web", dirtyRateMiBps: 3000 });
      const migrationId = await startManual(page, await vmId(sql, "vm-web"), "hv2");
      await expect(page.getByTestId("verdict")).toHaveAttribute("data-verdict", /stalled|wont-converge/, {
        timeout: 30_000,
      });
      await page.getByRole("button", { name: "Suspend to finish" }).click();
      await page.getByRole("button", { name: "Suspend and finish" }).click();
      await expectLandedOn(sql, migrationId, "vm-web", "hv2");
      const events = await sql<{ type: string; source: string }>(
        `SELECT type, source FROM "MigrationEvent" WHERE "migrationId" = $1`,
        [migrationId],
      );
      expect(events).toContainEqual({ type: "suspend-to-finish", source: "operator" });

      await page.goto("/migrations");
      const row = page.locator(`[data-migration="${migrationId}"]`);
      const [m] = await sql<{ downtimeMs: number }>(`SELECT "downtimeMs" FROM "LiveMigration" WHERE id = $1`, [
        migrationId,
      ]);
      await expect(row.getByTestId("history-downtime-ms")).toContainText(String(m?.downtimeMs));
    });
  });

test("killing the worker mid-migration loses neither the migration nor its outcome", async ({
  page,
  loginAs,
  sql,
  state,
}) => {
  await loginAs("operator");
  const migrationId = await startManual(page, await vmId(sql, "vm-idle"), "hv2", { bandwidthMiB: 4 }); // λ ≈ 0.5: ~15 s at 20×, long enough to kill the worker mid-way
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "MigrationSample" WHERE "migrationId" = $1`, [
            migrationId,
          ])
        )[0]?.n,
      { timeout: 30_000 },
    )
    .not.toBe("0");
  const res = await fetch(`${state.control}/worker/restart?downMs=3000`, { method: "POST" });
  expect(res.ok).toBe(true);
  await expectLandedOn(sql, migrationId, "vm-idle", "hv2");
  const owners = await sql<{ n: string }>(
    `SELECT count(DISTINCT "ownerId")::text AS n FROM "LiveMigration" WHERE id = $1`,
    [migrationId],
  );
  expect(owners[0]?.n).toBe("0"); // released at the end
  const events = await sql<{ type: string }>(`SELECT type FROM "MigrationEvent" WHERE "migrationId" = $1 ORDER BY at`, [
    migrationId,
  ]);
  expect(events.map((e) => e.type)).toContain("completed");
});

test("the header shows the bandwidth the host reads back after Set bandwidth", async ({ page, loginAs, sql, sim }) => {
  test.setTimeout(300_000);
  await loginAs("operator");
  const [vm] = await sql<{ id: string; host: string }>(
    `SELECT v.id, h.name AS host FROM "Vm" v JOIN "Host" h ON h.id = v."hostId" WHERE v.name = 'vm-idle' AND v.state = 'running'`,
  );
  const dest = vm?.host === "hv4" ? "hv2" : "hv4";
  // Its 64 MiB hot set re-dirtied at 40 MiB/s: it cannot converge at 2 or 48 MiB/s, so the change
  // is made (and read back) on a running job whatever the machine's load.
  await sim("POST", "/workload", { vm: "vm-idle", dirtyRateMiBps: 40 });
  const migrationId = await startManual(page, vm?.id ?? "", dest, { bandwidthMiB: 2 });
  await expect(page.getByTestId("migration-state")).toHaveAttribute("data-state", "running", { timeout: 30_000 });
  await expect(page.getByTestId("bandwidth-cap")).toHaveText("2 MiB/s");
  await page.getByLabel("Bandwidth (MiB/s)").fill("48");
  await page.getByRole("button", { name: "Set bandwidth" }).click();
  // The value `virsh migrate-getspeed` reads back, shown at once (it used to stay at the launch value).
  await expect(page.getByTestId("bandwidth-cap")).toHaveText("48 MiB/s", { timeout: 45_000 }); // an SSH round trip and the SSE relay, on a loaded box
  const [ev] = await sql<{ data: { bandwidthMiB: number } }>(
    `SELECT data FROM "MigrationEvent" WHERE "migrationId" = $1 AND type = 'set-bandwidth'`,
    [migrationId],
  );
  expect(ev?.data.bandwidthMiB).toBe(48);

  // The completed-job header is tested against the simulator in tests/live-page-truth.test.ts.
  // Leave no migration running for the next tests (at 48 MiB/s it may already have landed).
  if ((await page.getByTestId("migration-state").getAttribute("data-state")) === "running") {
    await page.getByRole("button", { name: "Abort migration" }).click();
    await page.getByLabel("Type vm-idle to confirm").fill("vm-idle");
    await page.getByRole("button", { name: "Yes, abort it" }).click();
  }
  await expect(page.getByTestId("migration-state")).toHaveAttribute("data-state", /cancelled|completed/, {
    timeout: 30_000,
  });
  await sim("POST", "/workload", { vm: "vm-idle", profile: "idle", dirtyRateMiBps: null });
});
