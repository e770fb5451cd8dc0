// Hostile input in the browser (issue #7): names a hypervisor returns are rendered as text, hostile
// values typed into every form get a clear inline error and store nothing, server actions refuse a
// foreign Origin, and the session cookie carries its flags.
import type { Page } from "@playwright/test";
import { displayName } from "../lib/format";
import { browserSubset } from "../tests/hostile/corpus";
import { expect, login, test } from "./fixtures";

type Sql = <T extends Record<string, unknown>>(q: string, p?: unknown[]) => Promise<T[]>;

const XSS_NAMES = [
  "<img src=x onerror=window.__pwned=1>",
  "<script>window.__pwned=1</script>",
  "$(touch /tmp/convoy-pwned)",
  "a'b\"c",
  "\u202eevil\u202c",
];

/** Inline errors and results (Next's empty route announcer also has role=alert). */
const MESSAGE = "[role=alert]:not(#__next-route-announcer__):not(:empty), [role=status]:not(:empty)";

async function noScriptRan(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
}

test("names and outputs from a hostile hypervisor render as plain text", async ({ page, sql }) => {
  // Rows as the worker would store them from a malicious host (inventory keeps names verbatim).
  const [host] = await sql<{ id: string }>(
    `INSERT INTO "Host" (id, name, address, "sshUser", "privateKeyEnc", status, reachable, "cpuModel", "lastError", "lastErrorKind", "lastCheckedAt", "updatedAt")
     VALUES (gen_random_uuid(), 'hostile-render', '127.0.0.1', 'root', 'x', 'disabled', false, $1, $2, 'parse', now() + interval '1 day', now()) RETURNING id`,
    [XSS_NAMES[0], `Could not read the inventory: ${XSS_NAMES[1]}`],
  );
  const hostId = host?.id ?? "";
  try {
    for (const [i, name] of XSS_NAMES.entries()) {
      await sql(
        `INSERT INTO "Vm" (id, "hostId", uuid, name, state, vcpus, "memoryBytes") VALUES (gen_random_uuid(), $1, $2, $3, 'running', 1, 1073741824)`,
        [hostId, `00000000-0000-4000-8000-00000000000${i}`, name],
      );
    }
    page.on("dialog", (d) => {
      throw new Error(`a dialog opened: ${d.message()}`);
    });
    await login(page, "admin");
    await page.goto("/");
    // Shown as stored, but bidi controls (the RTL override) as visible `\u202E` escapes (issue 13).
    for (const name of XSS_NAMES)
      await expect(page.getByText(displayName(name), { exact: true }).first()).toBeVisible();
    await expect(page.getByText("\\u202Eevil\\u202C", { exact: true }).first()).toBeVisible();
    expect(await page.locator("main").textContent()).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    await noScriptRan(page);
    const [vm] = await sql<{ id: string }>(`SELECT id FROM "Vm" WHERE name = $1`, [XSS_NAMES[0]]);
    await page.goto(`/vms/${vm?.id}`);
    await expect(page.getByRole("heading", { name: XSS_NAMES[0], exact: true })).toBeVisible();
    await noScriptRan(page);
    await page.goto("/hosts");
    await noScriptRan(page);
    await page.goto(`/migrations?vm=${encodeURIComponent(XSS_NAMES[1] ?? "")}`);
    await noScriptRan(page);
  } finally {
    await sql(`DELETE FROM "Host" WHERE id = $1`, [hostId]);
  }
});

/** One form: where it is, the field that gets the hostile value, how to submit, what must not grow. */
type FormCase = {
  name: string;
  path: string;
  table: string;
  fill: (page: Page, value: string) => Promise<void>;
  submit: string;
  /** A value the schema accepts as data is stored verbatim instead of refused. */
  storedAs?: (sql: Sql, value: string) => Promise<boolean>;
};

const FORMS: FormCase[] = [
  {
    name: "add host (name)",
    path: "/hosts",
    table: "Host",
    fill: async (page, v) => {
      await page.getByLabel("Name", { exact: true }).fill(v);
      await page.getByLabel("Address").fill("127.0.0.1");
      await page.getByLabel("SSH port").fill("1");
      await page
        .getByLabel("SSH private key")
        .fill("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----");
    },
    submit: "Add host",
  },
  {
    name: "add host (address)",
    path: "/hosts",
    table: "Host",
    fill: async (page, v) => {
      await page.getByLabel("Name", { exact: true }).fill("hostile-addr");
      await page.getByLabel("Address").fill(v);
      await page
        .getByLabel("SSH private key")
        .fill("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----");
    },
    submit: "Add host",
  },
  {
    name: "inventory import",
    path: "/hosts",
    table: "Host",
    fill: (page, v) => page.getByLabel("Or paste it").fill(v),
    submit: "Import",
  },
  {
    name: "new user",
    path: "/users",
    table: "User",
    fill: async (page, v) => {
      await page.getByLabel("User name").fill(v);
      await page.getByLabel("Password").fill("long enough password");
    },
    submit: "Create user",
    storedAs: async (sql, v) => (await sql(`SELECT 1 FROM "User" WHERE username = $1`, [v.trim()])).length === 1,
  },
  {
    name: "policy editor",
    path: "/policies",
    table: "EscalationPolicy",
    fill: (page, v) => page.getByLabel("Policy JSON").first().fill(v),
    submit: "Save policy",
  },
  {
    name: "maintenance window",
    path: "/windows",
    table: "MaintenanceWindow",
    fill: async (page, v) => {
      await page.getByLabel("Name", { exact: true }).fill(v);
      await page.getByLabel("Anti-affinity groups").fill(`g: ${v}, other`);
    },
    submit: "Create window",
  },
];

test("hostile values in every form get a clear error and store nothing", async ({ page, sql }) => {
  test.setTimeout(180_000);
  await login(page, "admin");
  const values = browserSubset();
  // Every value goes through one form, each form gets four (kept short: one page load each).
  for (const [fi, form] of FORMS.entries()) {
    for (const value of values.filter((_, i) => i % FORMS.length === fi)) {
      const before = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${form.table}"`);
      await page.goto(form.path);
      await form.fill(page, value);
      await page.getByRole("button", { name: form.submit, exact: true }).first().click();
      await expect(page.locator(MESSAGE).first(), `${form.name}: ${JSON.stringify(value.slice(0, 40))}`).toBeVisible();
      await noScriptRan(page);
      const after = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${form.table}"`);
      if (after[0]?.n !== before[0]?.n) {
        expect(
          form.storedAs && (await form.storedAs(sql, value)),
          `${form.name} stored ${JSON.stringify(value.slice(0, 40))}`,
        ).toBe(true);
      } else {
        await expect(
          page.locator("[role=alert]:not(#__next-route-announcer__):not(:empty)").first(),
          `${form.name}: ${JSON.stringify(value.slice(0, 40))}`,
        ).toBeVisible();
      }
    }
  }
  // User names such as "__proto__" or "-c" are plain data (never reach a shell): drop them again.
  await sql(`DELETE FROM "User" WHERE username = ANY($1) AND username NOT LIKE 'e2e-%'`, [values.map((v) => v.trim())]);
});

test("migration options out of range are refused inline and nothing is queued", async ({ page, sql }) => {
  const [vm] = await sql<{ id: string }>(
    `SELECT v.id FROM "Vm" v JOIN "Host" h ON h.id = v."hostId" WHERE v.state = 'running' AND h.status = 'active' ORDER BY v.name LIMIT 1`,
  );
  await login(page, "admin");
  await page.goto(`/vms/${vm?.id}`);
  await page.getByRole("button", { name: "Run pre-checks" }).click();
  await expect(page.getByTestId("prechecks")).toBeVisible();
  const before = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "LiveMigration"`);
  for (const value of ["-1", "0.5", "1e308"]) {
    await page.getByLabel("Bandwidth cap (MiB/s)").fill(value);
    await page.getByRole("button", { name: "Start migration" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "bandwidthMiB" })).toBeVisible();
    await page.reload();
    await page.getByRole("button", { name: "Run pre-checks" }).click();
    await expect(page.getByTestId("prechecks")).toBeVisible();
  }
  expect((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "LiveMigration"`))[0]?.n).toBe(before[0]?.n);
});

test("a server action from a foreign Origin is refused; the session cookie is HttpOnly, SameSite, Secure behind https", async ({
  page,
  browser,
  sql,
  baseURL,
}) => {
  await login(page, "admin");
  const cookie = (await page.context().cookies()).find((c) => c.name === "convoy_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false });

  // Capture the create-user action's wire format, without letting it through.
  await page.goto("/users");
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await page.route("**/users", async (route) => {
    const r = route.request();
    if (r.method() !== "POST") return route.continue();
    captured = { url: r.url(), headers: r.headers(), body: r.postData() ?? "" };
    await route.abort();
  });
  await page.getByLabel("User name").fill("csrf-victim");
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Create user", exact: true }).click();
  await expect.poll(() => captured).not.toBeNull();
  await page.unroute("**/users");
  const req = captured as unknown as { url: string; headers: Record<string, string>; body: string };
  const send = (origin: string) =>
    page.request.post(req.url, {
      headers: {
        "next-action": req.headers["next-action"] ?? "",
        "content-type": req.headers["content-type"] ?? "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin,
      },
      data: req.body,
    });
  const foreign = await send("https://evil.example");
  expect(foreign.status()).toBeGreaterThanOrEqual(400);
  expect(await sql(`SELECT 1 FROM "User" WHERE username = 'csrf-victim'`)).toHaveLength(0);
  // The same request from our own origin goes through: the refusal above was the Origin check.
  const same = await send(baseURL ?? "");
  expect(same.status()).toBe(200);
  expect(await sql(`SELECT 1 FROM "User" WHERE username = 'csrf-victim'`)).toHaveLength(1);
  await sql(`DELETE FROM "User" WHERE username = 'csrf-victim'`);

  // Behind a TLS-terminating proxy the cookie is Secure.
  const tls = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-proto": "https" } });
  const tlsPage = await tls.newPage();
  const loginResponse = tlsPage.waitForResponse(
    (r) => r.request().method() === "POST" && !!r.request().headers()["next-action"],
  );
  await tlsPage.goto(`${baseURL}/login`);
  await tlsPage.getByLabel("User name").fill("e2e-viewer");
  await tlsPage.getByLabel("Password").fill("viewer-password-e2e");
  await tlsPage.getByRole("button", { name: "Sign in" }).click();
  const setCookie = (await (await loginResponse).headerValue("set-cookie")) ?? "";
  expect(setCookie).toMatch(/convoy_session=/);
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  expect(setCookie).toMatch(/Secure/i);
  await tls.close();
});
