// Lint step: lib/db is the only place that talks to Prisma, and no two lib folders import each
// other (a cycle through db is how a query layer stops being one). Tests and test kits are exempt.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = ["app", "components", "lib", "scripts", "proxy.ts"];
const SKIP = new Set(["node_modules", "generated", "fixtures"]);
const TEST_FILE = /\.(test|spec)\.tsx?$|(^|\/)test-[^/]*\.ts$/;

const MODELS = [
  "user",
  "session",
  "host",
  "vm",
  "liveMigration",
  "migrationSample",
  "migrationEvent",
  "reservation",
  "auditLog",
  "escalationPolicy",
  "maintenanceWindow",
  "evacuationMove",
  "windowHost",
  "vmServiceCheck",
  "alertDelivery",
];
const MODEL_CALL = new RegExp(
  `\\.(${MODELS.join("|")})\\.(find\\w*|create\\w*|update\\w*|upsert|delete\\w*|count|aggregate|groupBy)\\(`,
);
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
    if (MODEL_CALL.test(line))
      out.push(`${at}: Prisma query outside lib/db — add a named function to lib/db/<aggregate>.ts`);
    else if (RAW_CALL.test(line)) out.push(`${at}: Prisma client call outside lib/db`);
  });
  if (PRISMA_IMPORT.test(source)) out.push(`${file}: imports Prisma's runtime outside lib/db (use \`import type\`)`);
  return out;
}

/** The lib modules (`lib/<folder>/<name>`) a source imports. */
export function libImports(source: string): string[] {
  return [
    ...new Set([...source.matchAll(/(?:from|import\()\s*["']@\/lib\/([\w-]+\/[\w/.-]+)["']/g)].map((m) => m[1] ?? "")),
  ];
}

export type LibModule = { imports: string[]; typesOnly: boolean };

/** Whether every lib import of a source is `import type` (such a module carries no code of its folder's). */
export function importsTypesOnly(source: string): boolean {
  return [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s*["']@\/lib\//gms)].every((m) => !!m[1]);
}

/**
 * Pairs of lib folders that import each other (db/windows → alerts/outbox, alerts/outbox → db/client).
 * An import of a leaf — a module whose own lib imports are type-only, like a types.ts — draws no
 * arrow, so moving the shared part into one breaks the cycle.
 */
export function folderCycles(modules: Map<string, LibModule>): string[] {
  const arrows = new Map<string, string>(); // "a>b" → one import that draws it
  for (const [mod, { imports }] of modules) {
    for (const t of imports) {
      const [a, b] = [mod.split("/")[0], t.split("/")[0]];
      const target = modules.get(t) ?? modules.get(`${t}/index`);
      if (a === b || target?.typesOnly) continue;
      if (!arrows.has(`${a}>${b}`)) arrows.set(`${a}>${b}`, `lib/${mod} imports lib/${t}`);
    }
  }
  const out: string[] = [];
  for (const [key, why] of arrows) {
    const [a, b] = key.split(">");
    const back = arrows.get(`${b}>${a}`);
    if (back && (a ?? "") < (b ?? ""))
      out.push(`lib/${a} <-> lib/${b}: ${why}; ${back} — move the shared part into a types-only module`);
  }
  return out;
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const problems: string[] = [];
  const modules = new Map<string, LibModule>(); // "db/hosts" → the lib modules it imports
  for (const abs of SCANNED.flatMap((p) => walk(path.join(ROOT, p)))) {
    const file = path.relative(ROOT, abs).split(path.sep).join("/");
    const source = readFileSync(abs, "utf8");
    problems.push(...checkPrismaUse(file, source));
    if (file.startsWith("lib/") && file.split("/").length > 2 && !TEST_FILE.test(file))
      modules.set(file.slice(4).replace(/\.tsx?$/, ""), {
        imports: libImports(source),
        typesOnly: importsTypesOnly(source),
      });
  }
  problems.push(...folderCycles(modules));
  if (problems.length) {
    process.stderr.write(`${problems.join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write("check-layers: Prisma only in lib/db, no lib folder cycles\n");
}
