import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { E2E_USERS } from "./users";

export type E2eState = {
  url: string;
  databaseUrl: string;
  /** e2e-server's own control port (restart the worker). */
  control: string;
  /** The test identity provider's issuer URL. */
  idp: string;
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
    await use(await readState());
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

/** e2e-server writes its state right after the console answers /api/health: wait for it. */
async function readState(): Promise<E2eState> {
  const file = path.join(process.cwd(), process.env.E2E_STATE_FILE ?? ".data/e2e/state.json");
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as E2eState;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${file} was not written by scripts/e2e-server.ts`);
}

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
