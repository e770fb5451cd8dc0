import { type NextRequest, NextResponse } from "next/server";
import { z } from "zod";
import { PENDING_COOKIE } from "@/lib/auth/oidc-client";
import { authSettings } from "@/lib/auth/oidc-settings";
import { completeSsoSignIn } from "@/lib/auth/oidc-sign-in";
import { createSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/session";
import { parseQuery } from "@/lib/http/query";

// Where the identity provider sends the browser back. Public by nature; the sealed cookie from
// /api/auth/oidc/login binds the answer to this browser (state, nonce, PKCE verifier).
const param = z.string().max(4096).optional();
const query = z.strictObject({
  code: param,
  state: param,
  iss: param,
  session_state: param,
  error: param,
  error_description: param,
  error_uri: param,
});

export async function GET(req: NextRequest): Promise<Response> {
  const q = parseQuery(req, query);
  if (q instanceof Response) return q;
  const s = authSettings().oidc;
  if (!s) return Response.json({ error: "single sign-on is not configured" }, { status: 404 });
  const outcome = await completeSsoSignIn(new URL(req.url).searchParams, req.cookies.get(PENDING_COOKIE)?.value);
  const res = outcome.ok
    ? await signedIn(req, outcome.user.id, outcome.next)
    : NextResponse.redirect(new URL(`/login?sso=${outcome.reason}`, s.redirectUrl), 303);
  res.headers.set("cache-control", "no-store");
  res.cookies.set(PENDING_COOKIE, "", { path: "/api/auth/oidc", maxAge: 0 });
  return res;
}

/**
 * A page that moves on to `next` itself: the session cookie is SameSite=Strict, and a browser
 * does not send it on a redirect chain that began at the IdP's site — a 303 straight to `next`
 * would arrive signed out. A navigation started by this page is same-site.
 */
async function signedIn(req: NextRequest, userId: string, next: string): Promise<NextResponse> {
  const { token, expiresAt } = await createSession(userId);
  const href = next.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Convoy</title><p>Signed in. <a href="${href}">Continue</a></p>`;
  const res = new NextResponse(html, { status: 200, headers: { "content-type": "text/html; charset=utf-8" } });
  res.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(req.headers, expiresAt));
  return res;
}
