import { readFileSync } from "node:fs";
import { generateEd25519 } from "../lib/ssh/keygen";
import { expect, test } from "./fixtures";
import { AdminHostsPage } from "./pages/admin-hosts-page";

const count = async (sql: (q: string) => Promise<{ n: string }[]>) =>
  Number((await sql(`SELECT count(*)::text AS n FROM "Host"`))[0]?.n);

test("an admin adds a host, confirms its key fingerprint, and its inventory appears", async ({
  page,
  loginAs,
  state,
  sql,
}) => {
  const hv3 = state.sim.hosts.find((h) => h.name === "hv3");
  if (!hv3) throw new Error("hv3 missing from the simulator");
  await loginAs("admin");
  const hosts = new AdminHostsPage(page);
  await hosts.open();
  await hosts.addHost({
    name: "hv3",
    address: hv3.address,
    port: hv3.port,
    privateKey: readFileSync(state.sim.clientKey, "utf8"),
  });
  await expect(hosts.addForm.getByRole("status")).toContainText("hv3 added");
  const card = hosts.keyCard("hv3");
  await expect(card.getByTestId("pending-fingerprint")).toHaveText(hv3.fingerprint);
  await card.getByRole("button", { name: "Confirm this key" }).click();
  await expect(card).toHaveCount(0, { timeout: 20_000 });

  const [row] = await sql<{ hostKeyFingerprint: string; status: string }>(
    `SELECT "hostKeyFingerprint", status FROM "Host" WHERE name = 'hv3'`,
  );
  expect(row).toEqual({ hostKeyFingerprint: hv3.fingerprint, status: "active" });
  await page.goto("/");
  await expect(page.locator('tr[data-host="hv3"]').getByText("reachable", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.locator('tr[data-host="hv3"]')).toContainText("EPYC-Rome");
});

test("bad input gives a clear error and changes nothing", async ({ page, loginAs, state, sql }) => {
  const hv3 = state.sim.hosts.find((h) => h.name === "hv3");
  if (!hv3) throw new Error("hv3 missing");
  const key = readFileSync(state.sim.clientKey, "utf8");
  await loginAs("admin");
  const hosts = new AdminHostsPage(page);
  await hosts.open();
  const before = await count(sql);

  await hosts.addHost({ name: "closed-port", address: "127.0.0.1", port: 1, privateKey: key });
  await expect(hosts.addForm).toContainText(/refused/i);
  await hosts.addHost({ name: "unknown-host", address: "no-such-host.invalid", port: 22, privateKey: key });
  await expect(hosts.addForm).toContainText(/DNS lookup failed|resolve|ENOTFOUND/i);
  await hosts.addHost({ name: "bad key", address: "127.0.0.1", port: hv3.port, privateKey: "not a key" });
  await expect(hosts.addForm).toContainText("Letters, digits");
  await expect(hosts.addForm).toContainText("Paste an unencrypted private key");
  expect(await count(sql)).toBe(before);

  await hosts.importInventory("hosts: [ { name: 'x', address: ");
  await expect(hosts.importForm).toContainText("not valid YAML or JSON");
  await hosts.importInventory(
    JSON.stringify({
      hosts: [
        { name: "ok-1", address: "127.0.0.1", privateKey: key },
        { name: "ok-2", address: "127.0.0.1", port: 70000, privateKey: key },
      ],
    }),
  );
  await expect(hosts.importForm).toContainText("hosts[1].port");
  expect(await count(sql)).toBe(before);

  // A private key the host does not accept: the key is probed, but confirming it fails and pins nothing.
  const stranger = generateEd25519().private;
  await hosts.addHost({ name: "wrong-key", address: "127.0.0.1", port: hv3.port, privateKey: stranger });
  const card = hosts.keyCard("wrong-key");
  await card.getByRole("button", { name: "Confirm this key" }).click();
  await expect(card).toContainText(/authentication failed/i);
  const [row] = await sql<{ status: string; hostKeyFingerprint: string | null }>(
    `SELECT status, "hostKeyFingerprint" FROM "Host" WHERE name = 'wrong-key'`,
  );
  expect(row).toEqual({ status: "pending_key", hostKeyFingerprint: null });
});

test("a changed host key is refused, audited, and can be re-pinned by an admin", async ({
  page,
  loginAs,
  sim,
  sql,
}) => {
  await loginAs("admin");
  const [pinned] = await sql<{ hostKeyFingerprint: string }>(
    `SELECT "hostKeyFingerprint" FROM "Host" WHERE name = 'hv1'`,
  );
  const { fingerprint } = (await sim("POST", "/rotate-host-key", { host: "hv1" })) as { fingerprint: string };
  expect(fingerprint).not.toBe(pinned?.hostKeyFingerprint);

  await page.goto("/");
  await expect(page.locator('tr[data-host="hv1"]').getByText("host key mismatch", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
  const audit = await sql<{ result: string }>(`SELECT result FROM "AuditLog" WHERE action = 'host.key-mismatch'`);
  expect(audit.map((a) => a.result)).toContain("denied");

  const hosts = new AdminHostsPage(page);
  await hosts.open();
  const card = hosts.keyCard("hv1");
  await expect(card).toContainText(/mismatch/i);
  await card.getByRole("button", { name: "Probe key again" }).click();
  await expect(card.getByTestId("pending-fingerprint")).toHaveText(fingerprint);
  await card.getByRole("button", { name: "Confirm this key" }).click();
  await expect(card).toHaveCount(0, { timeout: 20_000 });
  await page.goto("/");
  await expect(page.locator('tr[data-host="hv1"]').getByText("reachable", { exact: true })).toBeVisible({
    timeout: 20_000,
  });
});
