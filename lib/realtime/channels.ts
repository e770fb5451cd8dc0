// Postgres NOTIFY channels between workers and web servers (any number of each).
export const CHANNEL = {
  /** payload: LiveUpdate JSON — a new sample, event or state change of one migration */
  migration: "convoy_migration",
} as const;

export type LiveUpdate =
  | { kind: "sample"; migrationId: string; sample: LiveSample; progressPct: number; verdict: unknown }
  | { kind: "event"; migrationId: string; event: { id: string; at: string; source: string; type: string; message: string; data: unknown } }
  | { kind: "state"; migrationId: string; state: string; error?: string | null };

export type LiveSample = {
  at: string;
  elapsedMs: number;
  processedBytes: number;
  remainingBytes: number;
  totalBytes: number;
  dirtyRateBps: number;
  transferRateBps: number;
  iteration: number;
  throttlePct: number;
  expectedDowntimeMs: number;
  postcopyRequests: number;
};
