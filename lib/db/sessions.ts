import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { CHANNEL } from "@/lib/realtime/channels";

type Client = Tx | typeof db;

/**
 * Ends sessions of one user — all of them, or all but `keep` — and tells every web server, so open
 * SSE streams of those sessions close at once (lib/auth/session-watch.ts). Inside a transaction the
 * notification goes out only if the deletion commits. Returns how many sessions ended.
 */
export async function revokeUserSessions(
  client: Client,
  userId: string,
  opts: { keep?: string; only?: string } = {},
): Promise<number> {
  const where = opts.only ? { id: opts.only, userId } : { userId, ...(opts.keep ? { id: { not: opts.keep } } : {}) };
  const { count } = await client.session.deleteMany({ where });
  await client.$executeRaw`SELECT pg_notify(${CHANNEL.session}, ${JSON.stringify({ userId })})`;
  return count;
}

/** Whether a session still lets its user in: not revoked, not expired, user not disabled. */
export async function sessionIsLive(client: Client, sessionId: string): Promise<boolean> {
  const s = await client.session.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, user: { select: { disabled: true } } },
  });
  return !!s && s.expiresAt > new Date() && !s.user.disabled;
}

export function insertSession(id: string, userId: string, expiresAt: Date) {
  return db.session.create({ data: { id, userId, expiresAt } });
}

export function findSessionWithUser(id: string) {
  return db.session.findUnique({ where: { id }, include: { user: true } });
}
