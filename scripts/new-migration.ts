// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the committed schema (git HEAD) and the working one.
// (`prisma migrate dev` cannot run here: its Wasm engine panics reading _prisma_migrations
// through adapter-pg — see docs/decisions/001-prisma-6-js-engine.md.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write("usage: npm run db:new-migration -- <snake_case_name>\n");
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, "..");
const before = path.join(mkdtempSync(path.join(tmpdir(), "convoy-schema-")), "schema.prisma");
writeFileSync(before, execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: root }));
const sql = execFileSync(
  process.execPath,
  [
    path.join(root, "scripts/prisma.mjs"),
    "migrate",
    "diff",
    "--from-schema-datamodel",
    before,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://convoy:convoy@127.0.0.1:54329/convoy",
    },
  },
).toString();
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(root, "prisma/migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
process.stdout.write(`wrote ${path.relative(root, dir)}/migration.sql — review it, then npm run db:migrate\n`);
