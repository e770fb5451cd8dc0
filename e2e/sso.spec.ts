// Single sign-on through a real OpenID Connect provider (oidc-provider, started by the e2e stack:
// scripts/e2e-server.ts) in a real browser: groups give roles, a user in no mapped group is a
// viewer (this stack's CONVOY_OIDC_NO_GROUP), the audit log names the identity, sign-out ends the
// session at the IdP too, and a forged callback is refused. Token tampering and the refusal mode
// are covered against the same provider in tests/oidc-sign-in.test.ts.
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { E2E_IDP_USERS } from "./users";

type IdpUser = keyof typeof E2E_IDP_USERS;

async function ssoSignIn(page: Page, who: IdpUser, idp: string): Promise<void> {
  await page.goto("/migrations");
  await expect(page).toHaveURL(/\/login\?next=%2Fmigrations/);
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp}/interaction/`));
  await page.getByLabel("IdP user").fill(who);
  await page.getByLabel("IdP password").fill(E2E_IDP_USERS[who].password);
  await page.getByRole("button", { name: "Continue to Convoy" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(E2E_IDP_USERS[who].preferredUsername);
  await expect(page).toHaveURL(/\/migrations$/);
}

async function inFreshBrowser<T>(browser: Browser, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await run(await context.newPage());
  } finally {
    await context.close();
  }
}

test("groups map to roles at sign-in; the audit log names the identity; sign-out goes through the IdP", async ({
  browser,
  state,
  sql,
}) => {
  test.setTimeout(240_000); // four sign-ins through the IdP in fresh browsers: 1.5 min under a load average of 20
  await inFreshBrowser(browser, async (page) => {
    await ssoSignIn(page, "idp-ada", state.idp);
    await expect(page.getByRole("banner").getByText("admin", { exact: true })).toBeVisible();
    // An admin page answers: the role is really admin, not only the badge.
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(new RegExp(`^${state.idp}/`));
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/users");
    await expect(page).toHaveURL(/\/login/);
  });

  for (const [who, role] of [
    ["idp-olaf", "operator"],
    ["idp-nina", "viewer"],
  ] as const) {
    await inFreshBrowser(browser, async (page) => {
      await ssoSignIn(page, who, state.idp);
      await expect(page.getByRole("banner").getByText(role, { exact: true }), who).toBeVisible();
    });
  }

  const rows = await sql<{
    actorName: string;
    actorRole: string;
    issuer: string;
    subject: string;
    displayName: string;
  }>(
    `SELECT "actorName", "actorRole", after->>'issuer' AS issuer, after->>'subject' AS subject, after->>'displayName' AS "displayName"
       FROM "AuditLog" WHERE action = 'auth.sso-login' AND result = 'ok' ORDER BY id`,
  );
  expect(rows).toEqual(
    expect.arrayContaining([
      { actorName: "ada", actorRole: "admin", issuer: state.idp, subject: "idp-ada", displayName: "Ada Lovelace" },
      { actorName: "olaf", actorRole: "operator", issuer: state.idp, subject: "idp-olaf", displayName: "Olaf Oncall" },
      { actorName: "nina", actorRole: "viewer", issuer: state.idp, subject: "idp-nina", displayName: "Nina Newhire" },
    ]),
  );
});

test("a callback with a state this browser did not start is refused", async ({ page, sql, state }) => {
  await page.goto("/login");
  // Starts a real sign-in (sets this browser's sealed state), then answers with a forged one.
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByLabel("IdP user")).toBeVisible();
  await page.goto(`/api/auth/oidc/callback?code=forged-code&state=forged-state&iss=${encodeURIComponent(state.idp)}`);
  await expect(page).toHaveURL(/\/login\?sso=refused$/);
  await expect(page.getByText("The identity provider's answer was refused")).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
  const [row] = await sql<{ result: string; error: string }>(
    `SELECT result, error FROM "AuditLog" WHERE action = 'auth.sso-login' ORDER BY id DESC LIMIT 1`,
  );
  expect(row?.result).toBe("denied");
  expect(row?.error).toMatch(/state/);
});
