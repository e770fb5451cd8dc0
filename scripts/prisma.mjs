// Runs the Prisma CLI offline: with engine "js" no engine binary is executed, but the CLI still
// looks for one and would try to download it unless these point at an existing file.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const r = spawnSync(path.join(root, "node_modules", ".bin", "prisma"), process.argv.slice(2), {
  stdio: "inherit",
  env,
  cwd: root,
});
process.exit(r.status ?? 1);
