// CSV of a window's migrations (RFC 4180 quoting), safe to open in a spreadsheet: a text cell that
// starts with = + - @ (or a tab / carriage return) is prefixed with ' so it is never run as a
// formula (OWASP "CSV injection"). VM names and error messages come from hypervisors and users, so
// bidi controls (U+202E…) are written as visible `\u202E` escapes, as on the pages.
import { displayName } from "@/lib/format";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import type { WindowReport } from "./window-report";

export const CSV_COLUMNS = [
  "migration_id",
  "vm",
  "source",
  "destination",
  "state",
  "started_at",
  "ended_at",
  "duration_ms",
  "downtime_ms",
  "over_budget",
  "data_bytes",
  "escalations",
  "interventions",
  "converged_on_its_own",
  "error",
  "guest_location",
  "replay_url",
] as const;

export function csvCell(v: string | number | boolean | null): string {
  if (v === null) return "";
  if (typeof v !== "string") return String(v);
  const text = displayName(v);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** One row per migration attempt, in the table's order; `origin` makes the replay links absolute. */
export function migrationsCsv(report: WindowReport, origin: string): string {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const budget = report.window.downtimeBudgetMs;
  let out = csvLine([...CSV_COLUMNS]);
  for (const r of report.rows) {
    out += csvLine([
      r.id,
      r.vmName,
      r.source,
      r.dest,
      r.state,
      iso(r.startedAt),
      iso(r.endedAt),
      r.durationMs,
      r.downtimeMs,
      r.downtimeMs === null ? null : r.downtimeMs > budget,
      r.dataBytes,
      r.escalations,
      r.interventions,
      r.convergedAlone,
      r.error,
      whereaboutsText({ location: r.guestLocation, host: r.guestLocationHost }),
      `${origin}/migrations/${r.id}`,
    ]);
  }
  return out;
}
