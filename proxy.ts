import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/session-cookie";
import { FIXED_HEADERS, NON_PAGE_CSP, newNonce, pageCsp } from "@/lib/http/security-headers";

// Next 16's proxy (formerly middleware) runs before every request but built assets. It sets the
// security headers (a fresh CSP nonce per page request) and sends a browser without a session
// cookie straight to the sign-in page. That redirect is defence in depth, not the boundary: it
// cannot tell a valid cookie from a forged one, so every page, action and route handler checks
// the session and role itself (lib/auth/page.ts, lib/actions/action.ts, lib/auth/route.ts).
export function proxy(req: NextRequest): NextResponse {
  const { pathname } = req.nextUrl;
  const isPage = !pathname.startsWith("/api/") && pathname !== "/metrics";
  if (!isPage) return withHeaders(NextResponse.next(), NON_PAGE_CSP);

  const csp = pageCsp(newNonce(), process.env.NODE_ENV === "development");
  const anonymous = !req.cookies.has(SESSION_COOKIE);
  // Only reads: a POST (server action) must reach its action, which answers for itself.
  if (anonymous && pathname !== "/login" && (req.method === "GET" || req.method === "HEAD")) {
    const login = new URL("/login", req.url);
    login.searchParams.set("next", pathname);
    return withHeaders(NextResponse.redirect(login), csp);
  }
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const headers = new Headers(req.headers);
  headers.set("Content-Security-Policy", csp);
  return withHeaders(NextResponse.next({ request: { headers } }), csp);
}

function withHeaders(res: NextResponse, csp: string): NextResponse {
  res.headers.set("Content-Security-Policy", csp);
  for (const h of FIXED_HEADERS) res.headers.set(h.key, h.value);
  return res;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image).*)"],
};
