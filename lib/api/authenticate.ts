import "server-only";
import type { NextRequest } from "next/server";
import type { Caller } from "@/lib/auth/caller";
import { hasRole, type Role } from "@/lib/auth/roles";
import { SAFE_METHODS, sameOrigin } from "@/lib/auth/route";
import { SESSION_COOKIE, userForToken } from "@/lib/auth/session";
import { callerForBearer } from "@/lib/auth/tokens";
import { forbidden, unauthenticated } from "@/lib/api/problem";
import { writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";

/**
 * The caller of a route: an API token when `Authorization` is sent (then only the token counts), else
 * the session cookie. Refusals are audited under `audit`, like an action's. A cookie on a
 * state-changing request must come from our own origin (a token is no ambient credential: no CSRF).
 */
export async function authenticate(req: NextRequest, role: Role, audit: string): Promise<Caller | Response> {
  const header = req.headers.get("authorization");
  let caller: Caller | null = null;
  let why = "no session";
  if (header !== null) {
    const r = await callerForBearer(header);
    if ("caller" in r) caller = r.caller;
    else why = r.refused;
  } else {
    caller = await userForToken(req.cookies.get(SESSION_COOKIE)?.value);
    if (caller && !SAFE_METHODS.has(req.method) && !sameOrigin(req)) {
      await refuse(caller, audit, "foreign origin");
      return forbidden("State-changing requests with a session cookie must come from the console's own origin.");
    }
  }
  if (!caller) {
    await refuse(null, audit, why);
    return unauthenticated();
  }
  if (!hasRole(caller.role, role)) {
    await refuse(caller, audit, `requires ${role}`);
    return forbidden(`This needs the ${role} role; you act as ${caller.role}.`);
  }
  return caller;
}

function refuse(caller: Caller | null, action: string, error: string) {
  const actor = caller
    ? { id: caller.id, name: caller.username, role: caller.role, tokenId: caller.tokenId }
    : { id: null, name: "anonymous", role: null };
  return writeAudit(db, { actor, action, result: "denied", error });
}
