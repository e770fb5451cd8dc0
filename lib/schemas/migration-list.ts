// Filters of the migrations history, shared by the page (URL search params), the client form and
// GET /api/migrations, so a filtered view is a shareable link validated the same way everywhere.
import { z } from "zod";
import { lineText } from "@/lib/schemas/text";
import { MIGRATION_STATES } from "@/lib/schemas/wire";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
/** A real calendar day: 9999-99-99 or 2026-02-30 would reach Postgres as an Invalid Date. */
const day = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD")
    .refine((s) => {
      const d = new Date(`${s}T00:00:00.000Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= "1970-01-01";
    }, "Not a calendar date")
    .optional(),
);

/** Strict: the API refuses an unknown parameter (the page reads only these keys anyway). */
export const migrationListQuery = z
  .strictObject({
    host: z.preprocess(
      blank,
      z
        .string()
        .trim()
        .max(253)
        .regex(/^[A-Za-z0-9._-]+$/, "A host name")
        .optional(),
    ),
    vm: z.preprocess(blank, lineText(1, 200).optional()),
    outcome: z.preprocess(blank, z.enum(MIGRATION_STATES).optional()),
    from: day,
    to: day,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” is after “to”.", path: ["to"] });

export type MigrationListFilters = z.output<typeof migrationListQuery>;

/** Filters → query string (only the ones set), in a stable order so query keys and links match. */
export function filtersToSearch(f: MigrationListFilters): string {
  const p = new URLSearchParams();
  for (const k of ["host", "vm", "outcome", "from", "to"] as const) {
    const v = f[k];
    if (v) p.set(k, v);
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Search params → filters; invalid values are dropped (the API reports them, the page stays usable). */
export function filtersFromSearch(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): MigrationListFilters {
  const raw: Record<string, string> = {};
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) : ([params[k]].flat()[0] ?? null));
  for (const k of ["host", "vm", "outcome", "from", "to"]) {
    const v = get(k);
    if (v) raw[k] = v;
  }
  // Drop the offending keys until the rest parses (object checks run only once fields pass).
  for (let i = 0; i < 6; i++) {
    const parsed = migrationListQuery.safeParse(raw);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) delete raw[String(issue.path[0])];
  }
  return {};
}
