// Postgres NOTIFY channels between workers and web servers (any number of each).

export const CHANNEL = {
  /** payload: a LiveUpdate (lib/schemas/wire.ts) — a new sample, event or state change of one migration */
  migration: "convoy_migration",
  /** payload: {"userId": "…"} — sessions of that user were revoked; open streams re-check theirs */
  session: "convoy_session",
} as const;
