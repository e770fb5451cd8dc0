import { z } from "zod";

// Query parameters of route handlers: every route declares its schema (a strict object, so an
// unknown parameter is refused too), and a bad value is a 400 naming the parameter — never a value
// handed on to Prisma to fail there as a 500.

const MAX_QUERY_CHARS = 2_000;

/** For routes that read no query parameter: any given is refused. */
export const noQuery = z.strictObject({});

export type QueryFields = Record<string, string[]>;

/** The parsed query, or the 400 Response to return as is. Call after the session check. */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> | Response {
  const r = readQuery(req, schema);
  if (r.ok) return r.data;
  return Response.json(
    { error: r.message, fieldErrors: r.fieldErrors },
    { status: 400, headers: { "cache-control": "no-store" } },
  );
}

export type QueryResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors: QueryFields };

/** The parsed query, or the problem: a message naming each bad parameter and the field errors. */
export function readQuery<S extends z.ZodType>(req: Request, schema: S): QueryResult<z.output<S>> {
  const url = new URL(req.url);
  if (url.search.length > MAX_QUERY_CHARS) {
    // Name the parameters that make it too long, so a client sees which field to fix.
    const longest = [...url.searchParams].sort((a, b) => b[1].length - a[1].length)[0]?.[0] ?? "_";
    return invalid({ [longest]: [`Too long: the query string is limited to ${MAX_QUERY_CHARS} characters`] });
  }
  // Maps, then own keys only: a parameter named `__proto__` or `constructor` is a name like any other
  // (assigned to a plain object it vanished, or met Object.prototype's and threw: a 500).
  const raw = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (key === "_rsc") continue; // Next's own cache key on RSC and prefetch requests, never ours
    if (raw.has(key)) return invalid({ [key]: ["Given more than once"] });
    raw.set(key, value);
  }
  const parsed = schema.safeParse(Object.fromEntries(raw));
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    // zod names unknown keys in the issue, not in its path.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [issue.path.join(".") || "_"];
    for (const key of keys)
      fieldErrors.set(key, [
        ...(fieldErrors.get(key) ?? []),
        issue.code === "unrecognized_keys" ? "Unknown parameter" : issue.message,
      ]);
  }
  return invalid(Object.fromEntries(fieldErrors));
}

function invalid(fieldErrors: QueryFields): { ok: false; message: string; fieldErrors: QueryFields } {
  const message = Object.entries(fieldErrors)
    .map(([k, v]) => `${k}: ${v.join(", ")}`)
    .join("; ");
  return { ok: false, message: `Invalid query parameters — ${message}`.slice(0, 500), fieldErrors };
}
