import { expect, test } from "./fixtures";

// Issue 18, item 4: a host's page (VMs, migrations, key history) and maintenance by hand.
test("an operator opens a host's page and puts it into maintenance and back, after confirming", async ({
  page,
  loginAs,
  state,
  sql,
}) => {
  test.setTimeout(150_000); // two server round trips per toggle (the action, then the page's refresh)
  const hv2 = state.sim.hosts.find((h) => h.name === "hv2");
  if (!hv2) throw new Error("hv2 missing from the simulator");
  await loginAs("operator");
  await page.goto("/");
  await page.locator('tr[data-host="hv2"]').getByRole("link", { name: "hv2" }).click();
  await expect(page).toHaveURL(/\/hosts\/[0-9a-f-]{36}$/);
  const hostPage = page.getByTestId("host-page");
  await expect(hostPage.getByRole("heading", { name: "hv2" })).toBeVisible();
  await expect(page.getByTestId("host-status")).toHaveText("active");
  await expect(page.getByTestId("key-history").locator("li").first()).toContainText(hv2.fingerprint);
  await expect(hostPage.getByRole("heading", { name: /^Migrations \(\d+\)$/ })).toBeVisible();
  await expect(hostPage.getByRole("button", { name: "Decommission" })).toHaveCount(0); // admins only

  await hostPage.getByRole("button", { name: "Put into maintenance" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("No new migration or drain move goes to it");
  await dialog.getByRole("button", { name: "Put into maintenance" }).click();
  await expect(page.getByTestId("lifecycle-result")).toHaveText("hv2 is in maintenance.");
  await expect(page.getByTestId("host-status")).toHaveText("maintenance", { timeout: 40_000 });
  expect(await sql<{ status: string }>(`SELECT status::text FROM "Host" WHERE name = 'hv2'`)).toEqual([
    { status: "maintenance" },
  ]);

  await hostPage.getByRole("button", { name: "Take out of maintenance" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Back in service" }).click();
  await expect(page.getByTestId("host-status")).toHaveText("active", { timeout: 40_000 });
  const audit = await sql<{ actorName: string; after: { status: string } }>(
    `SELECT "actorName", after FROM "AuditLog" WHERE action = 'host.maintenance' AND result = 'ok' AND "actorName" = 'e2e-operator' ORDER BY id`,
  );
  expect(audit.map((a) => a.after.status)).toEqual(["maintenance", "active"]);
});
