// The public surface, enumerated from the sources so a new action or route handler is covered by
// the hostile-input and authorisation tests without anyone adding it to a list.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type DeclaredAction, listActions } from "@/scripts/check-actions";

const ROOT = path.resolve(import.meta.dirname, "../..");

export type ServerAction = DeclaredAction & { file: string };
export type RouteHandler = { file: string; route: string; method: string; role: string | null };

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function serverActions(): ServerAction[] {
  const dir = path.join(ROOT, "lib/actions");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .flatMap((f) =>
      listActions(readFileSync(path.join(dir, f), "utf8")).map((a) => ({ ...a, file: `lib/actions/${f}` })),
    );
}

/** Loads the exported function of an action (the module is a "use server" file). */
export async function loadAction(a: ServerAction): Promise<(input: unknown) => Promise<unknown>> {
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, a.file))) as Record<string, unknown>;
  const fn = mod[a.name];
  if (typeof fn !== "function") throw new Error(`${a.file} does not export ${a.name}`);
  return fn as (input: unknown) => Promise<unknown>;
}

export function routeHandlers(): RouteHandler[] {
  // /api/v1's catch-all is enumerated from its OpenAPI document instead (tests/api/v1-surface.test.ts).
  const files = walk(path.join(ROOT, "app")).filter((f) => /[/\\]route\.tsx?$/.test(f) && !f.includes("[..."));
  return files.flatMap((file) => {
    const source = readFileSync(file, "utf8");
    const role = /(?:requireApiUser\(\s*\w+,\s*|apiRoute\(\s*\{\s*role:\s*)"(\w+)"/.exec(source)?.[1] ?? null;
    const rel = path.relative(ROOT, file);
    const route = `/${path.dirname(path.relative(path.join(ROOT, "app"), file))}`.replaceAll(path.sep, "/");
    return HTTP_METHODS.filter((m) => new RegExp(`^export (async )?(function|const) ${m}\\b`, "m").test(source)).map(
      (method) => ({ file: rel, route, method, role }),
    );
  });
}

export async function loadRoute(r: RouteHandler): Promise<(req: Request, ctx: unknown) => Promise<Response>> {
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, r.file))) as Record<string, unknown>;
  return mod[r.method] as (req: Request, ctx: unknown) => Promise<Response>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export type ConsolePage = { file: string; route: string; role: string | null };

/**
 * Every page under app/, with the role its `guardedPage("…")` default export declares (null when
 * it declares none: only the public pages may). Route groups "(x)" are not part of the URL.
 */
export function consolePages(): ConsolePage[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => /[/\\]page\.tsx?$/.test(f))
    .map((file) => {
      const source = readFileSync(file, "utf8");
      const role = /^export default guardedPage(?:<[^(]*>)?\(\s*"(\w+)"/m.exec(source)?.[1] ?? null;
      const dir = path.dirname(path.relative(path.join(ROOT, "app"), file)).split(path.sep);
      const route = `/${dir.filter((s) => s !== "." && !/^\(.*\)$/.test(s)).join("/")}`;
      return { file: path.relative(ROOT, file), route, role };
    });
}

/** Pages anyone may open. */
export const PUBLIC_PAGES = new Set(["/login"]);
