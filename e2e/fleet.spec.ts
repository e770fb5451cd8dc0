import { formatBytes } from "../lib/format";
import { expect, test } from "./fixtures";

type SimState = {
  hosts: {
    name: string;
    cpuModel?: string;
    cores: number;
    memoryGiB: number;
    domains: { name: string; state: string; vcpus: number; memoryKiB: number }[];
  }[];
};

test("the fleet page shows every registered host and VM with the simulator's numbers", async ({
  page,
  loginAs,
  sql,
  sim,
}) => {
  await loginAs("viewer");
  const state = (await sim("GET", "/state")) as SimState;
  const registered = await sql<{ name: string }>(`SELECT name FROM "Host" WHERE status = 'active' ORDER BY name`);
  expect(registered.length).toBeGreaterThanOrEqual(2);

  for (const { name } of registered) {
    const simHost = state.hosts.find((h) => h.name === name);
    if (!simHost) throw new Error(`${name} is not in the simulator`);
    const row = page.locator(`tr[data-host="${name}"]`);
    await expect(row.getByText("reachable", { exact: true })).toBeVisible();
    await expect(row.getByTestId("host-vm-count")).toHaveText(String(simHost.domains.length));
    await expect(row).toContainText(`${formatBytes(simHost.memoryGiB * 2 ** 30)}`);
    await expect(row).toContainText(simHost.cpuModel ?? "");
    await expect(row.locator("td").nth(4)).toHaveText(String(simHost.cores));
    for (const d of simHost.domains) {
      const vmRow = page.locator(`tr[data-vm="${d.name}"]`);
      await expect(vmRow.getByTestId("vm-vcpus")).toHaveText(String(d.vcpus));
      await expect(vmRow.getByTestId("vm-memory")).toHaveText(formatBytes(d.memoryKiB * 1024));
      await expect(vmRow).toContainText(d.state);
    }
  }
  // Storage classification comes from the disks' paths: vm-local's disk is not on shared storage.
  await expect(page.locator('tr[data-vm="vm-local"]').getByTestId("vm-storage")).toHaveText("local");
  await expect(page.locator('tr[data-vm="vm-db"]').getByTestId("vm-storage")).toHaveText("shared");

  // The tables sort from the keyboard: Enter on a header button, and the header says how (aria-sort).
  const hosts = page.getByTestId("hosts-table");
  const byName = hosts.locator("th", { hasText: "Host" });
  const order = () => hosts.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-host")));
  const names = registered.map((h) => h.name);
  await expect(byName).toHaveAttribute("aria-sort", "none");
  await byName.getByRole("button").focus();
  await page.keyboard.press("Enter");
  await expect(byName).toHaveAttribute("aria-sort", "ascending");
  expect((await order()).filter((n) => n && names.includes(n))).toEqual(names);
  await page.keyboard.press("Enter");
  await expect(byName).toHaveAttribute("aria-sort", "descending");
  expect((await order()).filter((n) => n && names.includes(n))).toEqual([...names].reverse());
});

test("an unreachable host is shown as such and does not block the page", async ({ page, loginAs, sim }) => {
  await loginAs("viewer");
  await sim("POST", "/fault", { host: "hv2", kind: "down", on: true });
  try {
    const row = page.locator('tr[data-host="hv2"]');
    await expect(row.getByText("unreachable")).toBeVisible({ timeout: 20_000 });
    await expect(row.getByTestId("host-error")).toContainText(/refused|unreachable|timed out|reset/i);
    // The rest of the fleet keeps refreshing.
    await expect(page.locator('tr[data-host="hv1"]').getByText("reachable", { exact: true })).toBeVisible();
  } finally {
    await sim("POST", "/fault", { host: "hv2", kind: "down", on: false });
  }
  await expect(page.locator('tr[data-host="hv2"]').getByText("reachable", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
});
