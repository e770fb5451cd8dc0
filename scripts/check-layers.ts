// Lint step: lib/db is the only place that talks to Prisma, and no two lib folders import each
// other (a cycle through db is how a query layer stops being one). Tests and test kits are exempt.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["app", "components", "lib", "scripts", "proxy.ts"];
const SKIP = new Set(["node_modules", "generated", "fixtures"]);
const TEST_FILE = /\.(test|spec)\.tsx?$|(^|\/)test-[^/]*\.ts$|testkit/;

const MODELS = [
  "user", "session", "host", "vm", "liveMigration", "migrationSample", "migrationEvent", "reservation", "auditLog",
  "escalationPolicy", "maintenanceWindow", "evacuationMove", "windowHost", "vmServiceCheck", "alertDelivery",
];
const MODEL_CALL = new RegExp(`\\.(${MODELS.join("|")})\\.(find\\w*|create\\w*|update\\w*|upsert|delete\\w*|count|aggregate|groupBy)\\(`);
const RAW_CALL = /\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction|disconnect|connect)\b/;
// Prisma's runtime (type-only imports of its enums and row types are fine). Passing `db` on as "no
// transaction" to a lib/db function is allowed; calling anything on it is not.
const PRISMA_IMPORT = /^import\s+(?!type\b)[^;]*from\s*["'](@prisma\/[^"']+|@\/lib\/generated\/prisma[^"']*)["']/m;

function walk(p: string): string[] {
  if (!statSync(p).isDirectory()) return /\.(ts|tsx)$/.test(p) ? [p] : [];
  return readdirSync(p).flatMap((name) => (SKIP.has(name) ? [] : walk(path.join(p, name))));
}

/** Prisma client uses in a file outside lib/db. */
export function checkPrismaUse(file: string, source: string): string[] {
  if (file.startsWith(`lib${path.sep}db${path.sep}`) || file.startsWith("lib/db/") || TEST_FILE.test(file)) return [];
  const out: string[] = [];
  const lines = source.split("\n");
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (MODEL_CALL.test(line)) out.push(`${at}: Prisma query outside lib/db — add a named function to lib/db/<aggregate>.ts`);
    else if (RAW_CALL.test(line)) out.push(`${at}: Prisma client call outside lib/db`);
  });
  if (PRISMA_IMPORT.test(source)) out.push(`${file}: imports Prisma's runtime outside lib/db (use \`import type\`)`);
  return out;
}

/** The lib modules (`lib/<folder>/<name>`) a source imports. */
export function libImports(source: string): string[] {
  return [...new Set([...source.matchAll(/(?:from|import\()\s*["']@\/lib\/([\w-]+\/[\w/.-]+)["']/g)].map((m) => m[1] ?? ""))];
}

/**
 * Folder-to-folder imports. A leaf module (one that imports no other lib module: types, constants,
 * pure helpers like auth/roles) draws no arrow, so moving a shared type into one breaks a cycle.
 */
export function folderImports(modules: Map<string, string[]>): Map<string, { folder: string; file: string }[]> {
  const out = new Map<string, { folder: string; file: string }[]>();
  for (const [mod, targets] of modules) {
    const from = mod.split("/")[0] ?? "";
    for (const t of targets) {
      const to = t.split("/")[0] ?? "";
      const target = modules.get(t) ?? modules.get(`${t}/index`);
      if (to === from || (target && target.length === 0)) continue;
      out.set(from, [...(out.get(from) ?? []), { folder: to, file: `lib/${mod}` }]);
    }
  }
  return out;
}

/** Pairs of lib folders that import each other, each with one file on either side. */
export function folderCycles(imports: Map<string, { folder: string; file: string }[]>): string[] {
  const out: string[] = [];
  for (const [a, tos] of imports) {
    for (const { folder: b, file } of tos) {
      const back = imports.get(b)?.find((t) => t.folder === a);
      if (back && a < b && !out.some((o) => o.startsWith(`lib/${a} <-> lib/${b}`))) out.push(`lib/${a} <-> lib/${b} (${file} / ${back.file}) — move the shared part to a leaf (e.g. lib/${a}/types.ts)`);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const problems: string[] = [];
  const modules = new Map<string, string[]>(); // "db/hosts" → the lib modules it imports
  for (const abs of SCANNED.flatMap((p) => walk(path.join(ROOT, p)))) {
    const file = path.relative(ROOT, abs).split(path.sep).join("/");
    const source = readFileSync(abs, "utf8");
    problems.push(...checkPrismaUse(file, source));
    if (file.startsWith("lib/") && file.split("/").length > 2 && !TEST_FILE.test(file)) modules.set(file.slice(4).replace(/\.tsx?$/, ""), libImports(source));
  }
  problems.push(...folderCycles(folderImports(modules)));
  if (problems.length) {
    process.stderr.write(`${problems.join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write("check-layers: Prisma only in lib/db, no lib folder cycles\n");
}
