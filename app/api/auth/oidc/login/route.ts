import { NextResponse } from "next/server";
import { z } from "zod";
import { PENDING_COOKIE, PENDING_TTL_S, startSignIn } from "@/lib/auth/oidc-client";
import { authSettings } from "@/lib/auth/oidc-settings";
import { safeNextPath } from "@/lib/auth/safe-next";
import { parseQuery } from "@/lib/http/query";
import { log } from "@/lib/log";

// Public by nature (it is how one signs in): sends the browser to the identity provider with a
// fresh state, nonce and PKCE challenge, sealed into a short-lived cookie for the callback.
const query = z.strictObject({ next: z.string().max(2048).optional() });

export async function GET(req: Request): Promise<Response> {
  const q = parseQuery(req, query);
  if (q instanceof Response) return q;
  const s = authSettings().oidc;
  if (!s) return Response.json({ error: "single sign-on is not configured" }, { status: 404 });
  let started: Awaited<ReturnType<typeof startSignIn>>;
  try {
    started = await startSignIn(s, safeNextPath(q.next));
  } catch (e) {
    log.warn("single sign-on: the identity provider could not be reached", { error: e });
    return NextResponse.redirect(new URL("/login?sso=unavailable", s.redirectUrl), 303);
  }
  const res = NextResponse.redirect(started.url, 303);
  res.headers.set("cache-control", "no-store");
  // Lax, not Strict: the IdP's redirect back is a cross-site navigation that must carry it.
  res.cookies.set(PENDING_COOKIE, started.pending, {
    httpOnly: true,
    sameSite: "lax",
    secure: s.redirectUrl.protocol === "https:",
    path: "/api/auth/oidc",
    maxAge: PENDING_TTL_S,
  });
  return res;
}
