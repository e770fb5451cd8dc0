// `npm run demo`: Convoy on its embedded defaults (Postgres under .data/, the simulated fleet),
// reusing the data of earlier runs. Ctrl-C stops everything.
import path from "node:path";
import { simOf, startStack } from "./lib/stack";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);

const stack = await startStack({
  dataDir: path.resolve(root, process.env.CONVOY_DATA_DIR ?? ".data"),
  pgPort: Number(process.env.CONVOY_PG_PORT ?? 54329),
  dbName: "convoy",
  fleetFile: path.resolve(root, process.env.CONVOY_FLEET ?? "sim/fleets/demo.yaml"),
  simBasePort: Number(process.env.CONVOY_SIM_BASE_PORT ?? 22201),
  simControlPort: Number(process.env.CONVOY_SIM_CONTROL_PORT ?? 22200),
  webPort: port,
  // Scale-out: several web servers (ports PORT, PORT+1, …) and workers on the one Postgres.
  webServers: Number(process.env.CONVOY_WEB_SERVERS ?? 1),
  workers: Number(process.env.CONVOY_WORKERS ?? 1),
  timeScale: Number(process.env.CONVOY_TIME_SCALE ?? 1),
  resetDatabase: false,
  users: [{ username: "admin", role: "admin", password: process.env.CONVOY_ADMIN_PASSWORD }],
});

process.stdout.write(
  `\n  Convoy is running at ${stack.urls.join(", ")}  (simulator control: ${simOf(stack).control})\n  Press Ctrl-C to stop.\n\n`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write("\nStopping Convoy…\n");
    await stack.stop();
    process.exit(0);
  });
}
