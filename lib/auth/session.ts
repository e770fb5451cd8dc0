import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { findSessionWithUser, insertSession, revokeUserSessions } from "@/lib/db/sessions";
import { env } from "@/lib/env";

export { SESSION_COOKIE };

export type SessionUser = { id: string; username: string; role: Role; sessionId: string };

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + env().CONVOY_SESSION_HOURS * 3_600_000);
  await insertSession(hashToken(token), userId, expiresAt);
  return { token, expiresAt };
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, sessionCookieOptions(await headers(), expiresAt));
}

/** The session cookie's attributes (also set by the single sign-on callback on its own response). */
export function sessionCookieOptions(requestHeaders: Pick<Headers, "get">, expires: Date) {
  // Secure whenever the browser reached us over TLS (directly or through a proxy); the demo on
  // http://127.0.0.1 would otherwise never keep its cookie.
  const secure = requestHeaders.get("x-forwarded-proto") === "https" || env().CONVOY_SECURE_COOKIES === "1";
  return { httpOnly: true, sameSite: "strict" as const, secure, path: "/", expires };
}

/** Resolves a raw token (cookie value) to its user; null when missing, expired or disabled. */
export async function userForToken(token: string | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const session = await findSessionWithUser(hashToken(token));
  if (!session || session.expiresAt < new Date() || session.user.disabled) return null;
  return { id: session.user.id, username: session.user.username, role: session.user.role, sessionId: session.id };
}

/** The caller of the current request (server components, actions, route handlers). */
export const getSession = cache(async (): Promise<SessionUser | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return userForToken(token);
});

/**
 * Signs the caller out — of this session, or of every session of theirs — and drops the cookie.
 * Their open streams close at once. Returns how many sessions ended.
 */
export async function destroySession(
  user: { id: string; sessionId: string },
  scope: "this" | "everywhere" = "this",
): Promise<number> {
  const ended = await revokeUserSessions(db, user.id, scope === "this" ? { only: user.sessionId } : {});
  (await cookies()).delete(SESSION_COOKIE);
  return ended;
}
