// What "progress" can honestly mean for a pre-copy migration. Remaining bytes do not measure it:
// every pass starts again from what the guest dirtied, so 100 − 100·remaining/total read 98–99 %
// on a migration that never converges. Only the first full copy of memory has a true percentage
// (its size is known and nothing in it is sent twice); after it the page says which pass runs and
// what is left, next to the verdict, and a failed or cancelled run shows no percentage at all.
import type { MigrationSample } from "./types";

type ProgressSample = Pick<MigrationSample, "totalBytes" | "remainingBytes" | "iteration" | "postcopyRequests">;

export type LiveProgress =
  /** No job with memory totals yet (libvirt's setup phase, or not launched). */
  | { kind: "starting" }
  /** Share of the first full copy sent, 0–99.9 (100 only means "completed"). */
  | { kind: "first-pass"; pct: number }
  /** A dirty-page pass: no percentage can be true here. */
  | { kind: "passes"; pass: number; remainingBytes: number }
  | { kind: "postcopy"; remainingBytes: number }
  | { kind: "completed" }
  | { kind: "ended"; state: string };

const ENDED = new Set(["failed", "cancelled", "lost"]);

/** A sample inside the first full copy: its share sent so far; null outside it. */
export function firstPassPct(s: ProgressSample): number | null {
  if (!(s.totalBytes > 0) || s.iteration > 1 || s.postcopyRequests > 0) return null;
  return Math.min(99.9, Math.max(0, 100 - (100 * Math.max(0, s.remainingBytes)) / s.totalBytes));
}

/**
 * The stored progress (`progressPct`): the first-pass share, never backwards, 100 once the first
 * copy is done or the job completed. Lists show it as "first copy", never as the whole migration.
 */
export function nextProgress(
  prevPct: number | null | undefined,
  s: ProgressSample,
  opts: { completed?: boolean } = {},
): number {
  const prev = prevPct ?? 0;
  if (opts.completed) return 100;
  if (!(s.totalBytes > 0)) return prev;
  const fp = firstPassPct(s);
  return fp === null ? 100 : Math.max(prev, fp);
}

/** What the live page shows as progress, from the state and the newest sample with data. */
export function liveProgress(state: string, last: ProgressSample | undefined, storedPct = 0): LiveProgress {
  if (state === "completed") return { kind: "completed" };
  if (ENDED.has(state)) return { kind: "ended", state };
  if (!last || !(last.totalBytes > 0)) return { kind: "starting" };
  if (state === "postcopy" || last.postcopyRequests > 0)
    return { kind: "postcopy", remainingBytes: last.remainingBytes };
  const fp = firstPassPct(last);
  if (fp !== null) return { kind: "first-pass", pct: storedPct < 100 ? Math.max(fp, storedPct) : fp };
  return { kind: "passes", pass: last.iteration, remainingBytes: last.remainingBytes };
}
