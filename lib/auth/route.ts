import "server-only";
import type { NextRequest } from "next/server";
import { hasRole, type Role } from "@/lib/auth/roles";
import { SESSION_COOKIE, type SessionUser, userForToken } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";

/**
 * Route handlers check the session and role themselves (never only the layout or a proxy).
 * Returns the user, or a 401/403 Response to return as is.
 */
export async function requireApiUser(req: NextRequest, role: Role, what: string): Promise<SessionUser | Response> {
  const user = await userForToken(req.cookies.get(SESSION_COOKIE)?.value);
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
