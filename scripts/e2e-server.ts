// The stack Playwright tests against: a fresh database, the small test fleet at 20× speed,
// the worker and the built console. Writes .data/e2e/state.json for the tests.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { startStack } from "./lib/stack";
import { E2E_USERS } from "../e2e/users";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "e2e");
const port = Number(process.env.E2E_PORT ?? 3100);

const stack = await startStack({
  dataDir,
  pgPort: 54339,
  dbName: "convoy_e2e",
  fleetFile: path.join(root, "sim/fleets/test-small.yaml"),
  simBasePort: 0,
  simControlPort: 0,
  webPort: port,
  timeScale: 20,
  resetDatabase: true,
  users: E2E_USERS,
  workerEnv: { CONVOY_INVENTORY_INTERVAL_MS: "2000" },
  unregisteredHosts: ["hv3"], // hosts.spec adds it through the UI
});
writeFileSync(path.join(dataDir, "state.json"), JSON.stringify({ url: stack.url, databaseUrl: stack.databaseUrl, sim: stack.sim }, null, 2));
process.stdout.write(`e2e stack ready at ${stack.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await stack.stop();
    process.exit(0);
  });
}
