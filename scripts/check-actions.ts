// Lint step: every export of a "use server" file is a public endpoint, so each must be built by
// the one `action()` wrapper (session → role → zod → audit). Also keeps "use server" in lib/actions.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".next", ".data", ".git", "generated", "test-results"]);
const problems: string[] = [];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

export function checkSource(file: string, source: string): string[] {
  const out: string[] = [];
  const isServerFile = /^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(source);
  const inlineDirective = /\n\s+["']use server["']/.test(source);
  if (inlineDirective) out.push(`${file}: inline "use server" functions are not allowed; put actions in lib/actions/`);
  if (!isServerFile) return out;
  if (!file.includes(`lib${path.sep}actions${path.sep}`))
    out.push(`${file}: "use server" files belong in lib/actions/`);
  for (const line of source.split("\n")) {
    if (!/^export\b/.test(line)) continue;
    if (/^export const \w+Action = action\(/.test(line)) continue;
    out.push(
      `${file}: "${line.trim().slice(0, 80)}" — exports of a "use server" file must be \`export const xAction = action(...)\``,
    );
  }
  // The hostile-input and auth tests read each action's role from this literal config.
  const declared = new Set(listActions(source).map((a) => a.name));
  for (const m of source.matchAll(/^export const (\w+Action) = action\(/gm)) {
    if (!declared.has(m[1] ?? ""))
      out.push(`${file}: ${m[1]} — write its config literally as { schema: x, role: "…", audit: "…" }`);
  }
  return out;
}

export type DeclaredAction = { name: string; schema: string; role: string; audit: string };

/** The actions a "use server" file declares, with the role and audit name written in their config. */
export function listActions(source: string): DeclaredAction[] {
  // `auditAs` (a function naming each call's audit action) may follow; `audit` is then the fallback.
  const re =
    /^export const (\w+Action) = action\(\s*\{\s*schema: (\w+),\s*role: "(\w+)",\s*audit: "([^"]+)"(?:,\s*auditAs: \w+)?\s*\}/gm;
  return [...source.matchAll(re)].map((m) => ({
    name: m[1] ?? "",
    schema: m[2] ?? "",
    role: m[3] ?? "",
    audit: m[4] ?? "",
  }));
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  for (const file of walk(ROOT)) problems.push(...checkSource(path.relative(ROOT, file), readFileSync(file, "utf8")));
  if (problems.length) {
    process.stderr.write(`${problems.join("\n")}\n`);
    process.exit(1);
  }
  process.stdout.write("check-actions: every server action is built with action()\n");
}
