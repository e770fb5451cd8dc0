// The stack `npm run test:lab` drives: a fresh database, the worker and the built console, and NO
// simulator — the hypervisors are the real QEMU/libvirt hosts of lab/ (setup by scripts/test-lab.sh),
// registered by the tests through the Hosts page. Writes .data/lab/state.json for the tests.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_USERS } from "../e2e/users";
import { startStack } from "./lib/stack";
import { serveTestControl } from "./lib/test-control";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "lab");
const port = Number(process.env.E2E_PORT ?? 3200);
const stateFile = path.join(dataDir, "state.json");
mkdirSync(dataDir, { recursive: true });
rmSync(stateFile, { force: true });

const stack = await startStack({
  dataDir,
  pgPort: Number(process.env.E2E_PG_PORT ?? 54340),
  dbName: "convoy_lab",
  simBasePort: 0,
  simControlPort: 0,
  webPort: port,
  timeScale: 1,
  resetDatabase: true,
  users: E2E_USERS,
  workerEnv: { CONVOY_INVENTORY_INTERVAL_MS: "2000" },
});
const control = await serveTestControl(stack);
writeFileSync(stateFile, JSON.stringify({ url: stack.url, databaseUrl: stack.databaseUrl, control }, null, 2));
process.stdout.write(`lab stack ready at ${stack.url}\n`);
