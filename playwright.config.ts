import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium (Playwright's own browser download is not reachable here).
const chromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PORT = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1, // one shared simulated fleet and database
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "node --import tsx scripts/e2e-server.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 600_000, // includes `next build` on a fresh clone
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT), ...(process.env.E2E_PG_PORT ? { E2E_PG_PORT: process.env.E2E_PG_PORT } : {}) },
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
