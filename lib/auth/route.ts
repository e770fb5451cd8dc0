import "server-only";
import type { NextRequest } from "next/server";
import { hasRole, type Role } from "@/lib/auth/roles";
import { SESSION_COOKIE, type SessionUser, userForToken } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";

/**
 * Route handlers check the session and role themselves (never only the layout or a proxy).
 * Returns the user, or a 401/403 Response to return as is. State-changing methods must also come
 * from our own origin (Next checks this for server actions, not for route handlers).
 */
export async function requireApiUser(req: NextRequest, role: Role, what: string): Promise<SessionUser | Response> {
  const user = await userForToken(req.cookies.get(SESSION_COOKIE)?.value);
  if (user && !SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
    await writeAudit(db, {
      actor: { id: user.id, name: user.username, role: user.role },
      action: `api.${what}`,
      result: "denied",
      error: "foreign origin",
    });
    return Response.json({ error: "forbidden" }, { status: 403 });
  }
  if (!user || !hasRole(user.role, role)) {
    await writeAudit(db, {
      actor: user ? { id: user.id, name: user.username, role: user.role } : { id: null, name: "anonymous", role: null },
      action: `api.${what}`,
      result: "denied",
      error: user ? `requires ${role}` : "no session",
    });
    return Response.json({ error: user ? "forbidden" : "unauthenticated" }, { status: user ? 403 : 401 });
  }
  return user;
}

export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Origin must name the host the request was sent to (X-Forwarded-Host behind a proxy). */
export function sameOrigin(req: NextRequest): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? req.nextUrl.host;
  if (!origin) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
