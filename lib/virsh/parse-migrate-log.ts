// Log of a detached `virsh migrate --verbose` (stdout+stderr, see commands.detached): progress
// frames "Migration: [ 47 %]" separated by "\r" (no newline until the end), then on failure an
// "error: …" line. The file is read while virsh still writes it, so a cut-off last frame is normal.
// The percentage restarts around 50 % at every pass (`--verbose` writes `Migration: [ 47 %]` with `\r`): callers must not assume
// it only grows.
import { classifyVirshError, type VirshErrorKind } from "./parse-error";

export type MigrateLog = {
  /** Last complete progress frame, null before the first one. */
  lastPercent: number | null;
  /** Highest percentage seen (what a progress bar that never goes backwards shows). */
  maxPercent: number | null;
  /** The virsh error (without "error: "), when virsh reported one. */
  error?: string;
  errorKind?: VirshErrorKind;
  /** Anything else virsh or the shell wrote (e.g. "Terminated"), for diagnostics. */
  other: string[];
};

const FRAME = /Migration: \[\s*(\d{1,3}) %\]/g;

export function parseMigrateLog(text: string): MigrateLog {
  const percents = [...text.matchAll(FRAME)].map((m) => Number(m[1]));
  const rest = text.replace(FRAME, "\n");
  const errorLines: string[] = [];
  const other: string[] = [];
  for (const raw of rest.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === "" || isCutOffFrame(line)) continue;
    if (line.startsWith("error:")) errorLines.push(line);
    else other.push(line);
  }
  const out: MigrateLog = {
    lastPercent: percents.length > 0 ? (percents[percents.length - 1] ?? null) : null,
    maxPercent: percents.length > 0 ? Math.max(...percents) : null,
    other,
  };
  if (errorLines.length > 0) {
    const e = classifyVirshError(errorLines.join("\n"));
    out.error = e.message;
    out.errorKind = e.kind;
  }
  return out;
}

// "Migr", "Migration: [", "Migration: [ 4": the tail of a frame virsh has not finished writing.
function isCutOffFrame(s: string): boolean {
  const head = "Migration: [";
  if (head.startsWith(s)) return true;
  return s.startsWith(head) && /^\s*\d{0,3}(\s*%)?$/.test(s.slice(head.length));
}
