import { readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_USERS } from "./users";

export type E2eState = {
  url: string;
  databaseUrl: string;
  sim: {
    hosts: { name: string; address: string; port: number; fingerprint: string }[];
    control: string;
    clientKey: string;
    unregistered?: string[];
  };
};

type Role = "admin" | "operator" | "viewer";

export const test = base.extend<{
  state: E2eState;
  loginAs: (role: Role) => Promise<void>;
  sql: <T extends pg.QueryResultRow>(text: string, params?: unknown[]) => Promise<T[]>;
  sim: (method: "GET" | "POST", route: string, body?: unknown) => Promise<unknown>;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies this way
  state: async ({}, use) => {
    await use(JSON.parse(readFileSync(path.join(process.cwd(), ".data/e2e/state.json"), "utf8")));
  },
  loginAs: async ({ page }, use) => {
    await use((role) => login(page, role));
  },
  sql: async ({ state }, use) => {
    const client = new pg.Client({ connectionString: state.databaseUrl });
    await client.connect();
    await use(async (text, params) => (await client.query(text, params as unknown[])).rows);
    await client.end();
  },
  sim: async ({ state }, use) => {
    await use(async (method, route, body) => {
      const res = await fetch(`${state.sim.control}${route}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`sim ${method} ${route}: ${res.status} ${await res.text()}`);
      return res.json();
    });
  },
});

export async function login(page: Page, role: Role): Promise<void> {
  const user = E2E_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no e2e user for ${role}`);
  await page.goto("/login");
  await page.getByLabel("User name").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toHaveText(user.username);
}

export { expect };
