// Helpers shared by the physics tests (not used by the model itself).
import type { PrecopyMigration } from "./precopy";
import type { GuestWorkload, MigrationEvent } from "./types";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

const TERMINAL = new Set(["completed", "cancelled", "failed"]);

/** Advances in fixed ticks until the job ends or `limitMs` of job time passed; returns all events. */
export function runToEnd(m: PrecopyMigration, bandwidthBps: number, dtMs = 100, limitMs = 3_600_000): MigrationEvent[] {
  const events: MigrationEvent[] = [];
  while (!TERMINAL.has(m.phase) && m.elapsedMs < limitMs) events.push(...m.advance(dtMs, bandwidthBps));
  return events;
}

export function uniform(dirtyRateBps: number, workingSetBytes: number, zeroFraction = 0): GuestWorkload {
  return { dirtyRateBps, workingSetBytes, zeroFraction, cpuBound: true };
}

export function ofType<T extends MigrationEvent["type"]>(
  events: MigrationEvent[],
  type: T,
): Extract<MigrationEvent, { type: T }>[] {
  return events.filter((e): e is Extract<MigrationEvent, { type: T }> => e.type === type);
}

/** A job-stats value that must be present (RawJobStats is an index signature). */
export function num(v: number | undefined): number {
  if (v === undefined) throw new Error("missing job-stats key");
  return v;
}
