import { expect, login, test } from "./fixtures";
import { E2E_USERS } from "./users";

test("sign in, a wrong password is refused, sign out", async ({ page, sql }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("User name").fill("e2e-operator");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong user name or password.")).toBeVisible();

  await login(page, "operator");
  await expect(page.getByRole("heading", { name: "Fleet" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  const rows = await sql<{ result: string }>(
    `SELECT result FROM "AuditLog" WHERE action = 'auth.login' AND "targetId" = 'e2e-operator' ORDER BY id`,
  );
  expect(rows.map((r) => r.result)).toEqual(expect.arrayContaining(["error", "ok"]));
});

test("a viewer is refused admin actions, in the UI and when calling the action directly", async ({
  page,
  browser,
  sql,
  baseURL,
}) => {
  // Capture the add-host action's id and wire format from a real (invalid) admin submission.
  await login(page, "admin");
  await page.goto("/hosts");
  const captured = page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]);
  await page.getByLabel("Name", { exact: true }).fill("bad name!");
  await page.getByLabel("Address").fill("127.0.0.1");
  await page.getByLabel("SSH private key").fill("x");
  await page.getByRole("button", { name: "Add host" }).click();
  const request = await captured;
  await expect(page.getByText("Letters, digits")).toBeVisible();
  const actionId = request.headers()["next-action"] ?? "";
  const hostsBefore = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "Host"`);

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await login(viewer, "viewer");
  await viewer.goto("/hosts");
  await expect(viewer.getByText("needs the admin role")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Add host" })).toHaveCount(0);

  const body = JSON.stringify([
    {
      name: "sneaky",
      address: "127.0.0.1",
      port: 22,
      sshUser: "root",
      privateKey: "x",
      libvirtUri: "qemu:///system",
      migrationUriTemplate: "qemu+ssh://{host}/system",
      nicGbps: 10,
    },
  ]);
  const headers = {
    "next-action": actionId,
    "content-type": "text/plain;charset=UTF-8",
    accept: "text/x-component",
    origin: baseURL ?? "",
  };
  const asViewer = await viewer.request.post("/hosts", { headers, data: body });
  expect(await asViewer.text()).toContain("FORBIDDEN");

  const anonymous = await browser.newContext();
  const asNobody = await anonymous.request.post(`${baseURL}/hosts`, { headers, data: body });
  expect(await asNobody.text()).toContain("UNAUTHENTICATED");

  const hostsAfter = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "Host"`);
  expect(hostsAfter[0]?.n).toBe(hostsBefore[0]?.n);
  const denied = await sql<{ actorName: string }>(
    `SELECT "actorName" FROM "AuditLog" WHERE action = 'host.add' AND result = 'denied'`,
  );
  expect(denied.map((d) => d.actorName)).toEqual(expect.arrayContaining(["e2e-viewer", "anonymous"]));
  await viewerContext.close();
  await anonymous.close();
});

test("a crafted ?next= never sends the browser off-site after sign-in", async ({ browser, baseURL }) => {
  test.setTimeout(180_000); // four sign-ins in fresh browser contexts
  const user = E2E_USERS.find((u) => u.role === "viewer");
  for (const next of ["/%5Cevil.example/x", "/%09/evil.example/x", "//evil.example/x", "https://evil.example/"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const offSite: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(baseURL ?? "")) offSite.push(r.url());
    });
    await page.goto(`/login?next=${next}`);
    await page.getByLabel("User name").fill(user?.username ?? "");
    await page.getByLabel("Password").fill(user?.password ?? "");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toHaveText(user?.username ?? "");
    expect(new URL(page.url()).origin, next).toBe(new URL(baseURL ?? "").origin);
    expect(offSite, next).toEqual([]);
    await context.close();
  }
});

test("the new-user form by keyboard: the browser's check and the server's both land under their field, announced", async ({
  page,
  sql,
}) => {
  await login(page, "admin");
  await page.goto("/users");
  const form = page.locator("form", { has: page.getByRole("heading", { name: "Add a user" }) });
  const name = form.getByLabel("User name");
  const password = form.getByLabel("Password");
  // Checked in the browser (the shared zod schema): nothing is sent, the field takes the focus.
  await name.fill("x");
  await password.press("Enter");
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  const nameError = form.locator(`#${await name.getAttribute("aria-describedby")}`);
  await expect(nameError).toHaveAttribute("role", "alert");
  await expect(nameError).toHaveText("2–64 letters, digits or _.@-");
  // Checked by the server only (the password policy's dictionaries stay there): same place, same way.
  await name.fill("form-hook-user");
  await password.fill("password");
  await password.press("Enter");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toBeFocused();
  await expect(form.locator(`#${await password.getAttribute("aria-describedby")}`)).toHaveAttribute("role", "alert");
  expect(await sql(`SELECT 1 FROM "User" WHERE username = 'form-hook-user'`)).toHaveLength(0);
  // A good one is created and the form is cleared for the next.
  await password.fill("a long and unusual passphrase 7");
  await password.press("Enter");
  await expect(form.getByRole("status").or(form.getByRole("alert"))).toContainText("Created form-hook-user (viewer).");
  await expect(name).toHaveValue("");
  await sql(`DELETE FROM "User" WHERE username = 'form-hook-user'`);
});
