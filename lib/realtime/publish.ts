import "server-only";
import type { db, Tx } from "@/lib/db/client";
import { CHANNEL, type LiveUpdate } from "@/lib/realtime/channels";

/**
 * Publishes to every web server through Postgres NOTIFY. Inside a transaction the notification is
 * delivered only if it commits, so browsers never see a sample the database does not have.
 */
export async function publish(client: Tx | typeof db, update: LiveUpdate): Promise<void> {
  const payload = JSON.stringify(update);
  // NOTIFY payloads are limited to 8000 bytes; updates are small, but never fail the write for it.
  if (payload.length > 7_900) return;
  await client.$executeRaw`SELECT pg_notify(${CHANNEL.migration}, ${payload})`;
}
