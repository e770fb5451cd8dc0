import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// `npm run test:lab`: the console against the real QEMU/libvirt hosts of lab/ (scripts/test-lab.sh
// sets them up and tears them down). Serial: one lab, guests that move between its two hosts.
const chromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PORT = Number(process.env.E2E_PORT ?? 3200);
// The tests' fixtures (e2e/fixtures.ts) read the lab stack's state file, not the e2e one.
process.env.E2E_STATE_FILE = ".data/lab/state.json";

export default defineConfig({
  testDir: "e2e-lab",
  timeout: 240_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
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
    command: "node --import tsx scripts/lab-server.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(PORT), E2E_STATE_FILE: ".data/lab/state.json" },
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
