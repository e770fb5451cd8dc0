// Issue 13, class 1: nobody reads a page or an API without the role for it, in any response.
// Every page and route handler is found from app/ (tests/hostile/surface.ts), so a new one is
// covered or this fails. A canary string is planted in every table the pages show; each URL is
// requested raw (no redirects followed) as anonymous, with a forged session cookie, and with each
// role below its own, as a plain GET and as the RSC requests a client router sends (payload,
// router state tree, prefetch, segment prefetch). The canary must appear in no body and no header.
// The admin's own requests must show it (so the canary is where the pages would leak it).
import type { APIRequestContext, Browser } from "@playwright/test";
import { computeCacheBustingSearchParam } from "next/dist/shared/lib/router/utils/cache-busting-search-param.js";
import { consolePages, PUBLIC_PAGES, routeHandlers } from "../tests/hostile/surface";
import { concrete, plantCanary, removeCanary } from "./canary";
import { expect, login, test } from "./fixtures";

type Role = "viewer" | "operator" | "admin";
const ROLES: Role[] = ["viewer", "operator", "admin"];
const below = (role: Role): Role[] => ROLES.slice(0, ROLES.indexOf(role));

const TREE = encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}, null, null] }, null, null, true]));
const VARIANTS: Record<string, Record<string, string>> = {
  "plain GET": {},
  "RSC payload": { RSC: "1" },
  "RSC with router state tree": { RSC: "1", "Next-Router-State-Tree": TREE },
  prefetch: { RSC: "1", "Next-Router-Prefetch": "1", "Next-Router-State-Tree": TREE },
  "segment prefetch": { RSC: "1", "Next-Router-Prefetch": "1", "Next-Router-Segment-Prefetch": "/_tree" },
};

/**
 * An RSC request must carry `_rsc`, the hash of its router headers, as the client router sends it;
 * Next answers one without it (or with a wrong one) by a 307 to the right URL, before rendering.
 */
async function withRscParam(url: string, headers: Record<string, string>): Promise<string> {
  if (!headers.RSC) return url;
  const hash = await computeCacheBustingSearchParam(
    headers["Next-Router-Prefetch"] === "1" ? "1" : undefined,
    headers["Next-Router-Segment-Prefetch"],
    headers["Next-Router-State-Tree"],
    undefined,
  );
  return `${url}?_rsc=${hash}`;
}

/** URLs that show none of the planted rows (so only the leak check applies), with why. */
const SHOWS_NO_CANARY: Record<string, string> = {
  "/login": "the public sign-in form",
  "/api/auth/oidc/login": "a redirect to the identity provider",
  "/api/auth/oidc/callback": "a redirect back to sign-in (no code from the identity provider)",
  "/api/health": "readiness only",
  "/api/health/live": "liveness only",
  "/api/health/ready": "readiness only",
  "/account": "the caller's own name, the password and sessions forms and their own API tokens",
  "/api-docs": "the API's endpoints and schemas, no fleet data",
  "/metrics": "counters and gauges, no names",
  "/api/migrations/[id]/events": "an endless SSE stream (its snapshot is checked through the page)",
  "/api/windows/[id]/report.pdf": "compressed PDF text",
};

const targets = [
  // A page that declares no role (tests/hostile/page-guards.test.ts fails for it) is held to the strictest one here.
  ...consolePages().map((p) => ({
    route: p.route,
    role: (p.role ?? (PUBLIC_PAGES.has(p.route) ? null : "admin")) as Role | null,
    page: true,
  })),
  ...[
    ...new Map(
      routeHandlers()
        .filter((r) => r.method === "GET")
        .map((r) => [r.route, r]),
    ).values(),
  ].map((r) => ({ route: r.route, role: r.role as Role | null, page: false })),
];

async function sessionCookie(browser: Browser, role: Role): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, role);
  const cookie = (await context.cookies()).find((c) => c.name === "convoy_session");
  await context.close();
  if (!cookie) throw new Error(`no session cookie for ${role}`);
  return `convoy_session=${cookie.value}`;
}

async function fetchRaw(request: APIRequestContext, url: string, headers: Record<string, string>) {
  const res = await request.get(await withRscParam(url, headers), {
    headers,
    maxRedirects: 0,
    failOnStatusCode: false,
    timeout: 30_000,
  });
  return { status: res.status(), text: `${JSON.stringify(res.headersArray())}\n${await res.text()}` };
}

test("no page, RSC payload or API answer carries data to a caller without the role", async ({
  browser,
  playwright,
  baseURL,
  sql,
}) => {
  test.setTimeout(600_000);
  const canary = await plantCanary(sql);
  const request = await playwright.request.newContext({ baseURL });
  try {
    const cookies: Record<string, string> = {
      anonymous: "",
      "forged session cookie": `convoy_session=${"A".repeat(43)}`,
    };
    for (const role of ROLES) cookies[role] = await sessionCookie(browser, role);

    expect(targets.length).toBeGreaterThanOrEqual(15);
    const leaks: string[] = [];
    let requests = 0;
    for (const t of targets) {
      const url = concrete(t.route, canary);
      if (!(t.route in SHOWS_NO_CANARY)) {
        // The variants that must carry a dynamic page's data for its own users (a prefetch of one need not).
        for (const [variant, headers] of Object.entries(VARIANTS).filter(
          ([v]) => !t.page || v === "plain GET" || v === "RSC payload",
        )) {
          const own = await fetchRaw(request, url, { ...headers, cookie: cookies.admin ?? "" });
          expect(
            own.text,
            `${url} as admin, ${variant}, shows the canary (it is planted where this URL reads)`,
          ).toContain(canary.text);
        }
      }
      if (t.role === null) continue; // public: nobody is below it, and it shows no data anyway
      const callers = ["anonymous", "forged session cookie", ...below(t.role)];
      for (const who of callers) {
        for (const [variant, headers] of Object.entries(t.page ? VARIANTS : { "plain GET": {} })) {
          const res = await fetchRaw(request, url, { ...headers, ...(cookies[who] ? { cookie: cookies[who] } : {}) });
          requests++;
          if (res.text.includes(canary.text))
            leaks.push(`${url} as ${who}, ${variant}: status ${res.status} carries the canary`);
          if (res.status === 200 && !t.page) leaks.push(`${url} as ${who}: 200`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(requests).toBeGreaterThan(50);
  } finally {
    await request.dispose();
    await removeCanary(sql, canary);
  }
});
