// Secrets never reach the browser or the logs (issue #7): every page (HTML and RSC payload) and
// every API answer an admin can fetch, and everything the web server, the worker and the simulator
// printed during the run, are searched for private-key material, stored ciphertexts, password
// hashes, the encryption key and live session tokens. Runs after the other specs (file order), so
// the process log covers their flows (hosts added with a real key, migrations, drains).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { E2E_USERS } from "./users";
import { expect, login, test } from "./fixtures";

const PAGES = ["/", "/hosts", "/migrations", "/policies", "/users", "/audit", "/windows"];

test("no private key, ciphertext, password, hash or session token in pages, APIs or logs", async ({
  page,
  sql,
  state,
}) => {
  test.setTimeout(120_000);
  await login(page, "admin");
  // Send a real private key through the add-host action (to a closed port: nothing is stored).
  const clientKey = readFileSync(state.sim.clientKey, "utf8");
  await page.goto("/hosts");
  await page.getByLabel("Name", { exact: true }).fill("secret-probe");
  await page.getByLabel("Address").fill("127.0.0.1");
  await page.getByLabel("SSH port").fill("1");
  await page.getByLabel("SSH private key").fill(clientKey);
  await page.getByRole("button", { name: "Add host" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();

  const token = (await page.context().cookies()).find((c) => c.name === "convoy_session")?.value ?? "";
  expect(token.length).toBeGreaterThan(20);
  const hosts = await sql<{ privateKeyEnc: string }>(`SELECT "privateKeyEnc" FROM "Host" WHERE "privateKeyEnc" <> 'x'`);
  const users = await sql<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User"`);
  const keyBody = clientKey.split("\n").filter((l) => l && !l.startsWith("-----"));
  const secretKeyFile = path.join(process.cwd(), ".data/e2e/secret.key");
  const secrets: [string, string][] = [
    ["session token", token],
    ...keyBody.map((l, i): [string, string] => [`private key line ${i + 1}`, l]),
    ...hosts.flatMap((h, i): [string, string][] =>
      h.privateKeyEnc
        .split(":")
        .filter((p) => p.length >= 16)
        .map((p) => [`ciphertext of host ${i}`, p]),
    ),
    ...users.map((u, i): [string, string] => [
      `password hash ${i}`,
      u.passwordHash.split("$").at(-1) ?? u.passwordHash,
    ]),
    ...E2E_USERS.map((u): [string, string] => [`password of ${u.username}`, u.password]),
    ...(existsSync(secretKeyFile)
      ? [["encryption key", readFileSync(secretKeyFile, "utf8").trim()] as [string, string]]
      : []),
  ];
  // A form placeholder shows the BEGIN line alone; a leak would carry key material after it.
  const leaks = (where: string, text: string) => [
    ...secrets.filter(([, s]) => s && text.includes(s)).map(([what]) => `${what} in ${where}`),
    ...(/-----BEGIN [A-Z ]*PRIVATE KEY-----\s*[A-Za-z0-9+/=]{16}/.test(text) ? [`PEM block in ${where}`] : []),
  ];

  const [vm] = await sql<{ id: string }>(`SELECT id FROM "Vm" LIMIT 1`);
  const [migration] = await sql<{ id: string }>(`SELECT id FROM "LiveMigration" LIMIT 1`);
  const [window] = await sql<{ id: string }>(`SELECT id FROM "MaintenanceWindow" LIMIT 1`);
  const urls = [
    ...PAGES,
    ...(vm ? [`/vms/${vm.id}`] : []),
    ...(migration ? [`/migrations/${migration.id}`] : []),
    ...(window ? [`/windows/${window.id}`, `/api/windows/${window.id}`] : []),
    "/api/fleet",
    "/api/migrations",
  ];
  const found: string[] = [];
  for (const url of urls) {
    const html = await page.request.get(url);
    expect(html.status(), url).toBe(200);
    found.push(...leaks(`${url} (HTML/JSON)`, await html.text()));
    if (!url.startsWith("/api/")) {
      const rsc = await page.request.get(url, { headers: { RSC: "1" } });
      found.push(...leaks(`${url} (RSC)`, await rsc.text()));
    }
  }
  // What a browser actually rendered, client components included.
  for (const url of PAGES) {
    await page.goto(url);
    found.push(...leaks(`${url} (DOM)`, await page.content()));
  }
  const logFile = path.join(process.cwd(), ".data/e2e/processes.log");
  expect(existsSync(logFile)).toBe(true);
  const logs = readFileSync(logFile, "utf8");
  expect(logs).toContain("[web]");
  found.push(...leaks("process output", logs));
  expect(found).toEqual([]);
});
