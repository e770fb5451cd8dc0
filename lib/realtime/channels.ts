// Postgres NOTIFY channels between workers and web servers (any number of each).
import type { MigrationSample } from "@/lib/migration/types";

export const CHANNEL = {
  /** payload: LiveUpdate JSON — a new sample, event or state change of one migration */
  migration: "convoy_migration",
  /** payload: {"userId": "…"} — sessions of that user were revoked; open streams re-check theirs */
  session: "convoy_session",
} as const;

export type LiveUpdate =
  | { kind: "sample"; migrationId: string; sample: LiveSample; progressPct: number; verdict: unknown }
  | {
      kind: "event";
      migrationId: string;
      event: { id: string; at: string; source: string; type: string; message: string; data: unknown };
    }
  | { kind: "state"; migrationId: string; state: string; error?: string | null };

/** A sample on the wire: the domain sample with an ISO timestamp instead of epoch ms. */
export type LiveSample = Omit<MigrationSample, "atMs"> & { at: string };
