import "server-only";
import type { db, Tx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { CHANNEL } from "@/lib/realtime/channels";
import type { LiveUpdate } from "@/lib/schemas/wire";

// Postgres refuses NOTIFY payloads of 8000 bytes or more; updates carry ids and one small sample.
const MAX_PAYLOAD = 7_900;

/**
 * Publishes to every web server through Postgres NOTIFY. Inside a transaction the notification is
 * delivered only if it commits, so browsers never see a sample the database does not have.
 */
export async function publish(client: Tx | typeof db, update: LiveUpdate): Promise<void> {
  const payload = liveUpdatePayload(update);
  if (payload) await client.$executeRaw`SELECT pg_notify(${CHANNEL.migration}, ${payload})`;
}

/** The NOTIFY payload of an update, or null (logged) when it would not fit: never fail the write for it. */
export function liveUpdatePayload(update: LiveUpdate): string | null {
  const payload = JSON.stringify(update);
  if (Buffer.byteLength(payload) <= MAX_PAYLOAD) return payload;
  log.warn("live update too large to notify; browsers re-read it on their next load", {
    migrationId: update.migrationId,
    kind: update.kind,
    bytes: payload.length,
  });
  return null;
}
