// Issue 13, class 6 (headers): every page and API answer carries a Content-Security-Policy
// (pages: a fresh script nonce per request, no 'unsafe-eval'), frame-ancestors 'none', nosniff and
// a Referrer-Policy — redirects and refusals included — and every page works under it in a real
// browser: the Next runtime boots and no CSP violation is reported.
import type { Page } from "@playwright/test";
import { consolePages, routeHandlers } from "../tests/hostile/surface";
import { concrete, plantCanary, removeCanary } from "./canary";
import { expect, login, test } from "./fixtures";

function expectSecurityHeaders(where: string, headers: Record<string, string>, page: boolean): string {
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, `${where}: CSP`).toContain("frame-ancestors 'none'");
  expect(csp, `${where}: CSP`).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"], `${where}: nosniff`).toBe("nosniff");
  expect(headers["referrer-policy"], `${where}: Referrer-Policy`).toBe("same-origin");
  if (page) {
    expect(csp, `${where}: scripts only with a nonce`).toMatch(
      /script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'(;|$)/,
    );
    expect(csp, `${where}: no inline scripts`).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  } else {
    expect(csp, `${where}: nothing loads from an API answer`).toContain("default-src 'none'");
  }
  return /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
}

/** Records CSP violations and console errors about the policy, from the first script on. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const w = window as unknown as { __csp?: string[] };
      w.__csp = [...(w.__csp ?? []), `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`];
    });
  });
  return seen;
}

test("security headers on every page and API answer, redirects and refusals included", async ({ request, sql }) => {
  const canary = await plantCanary(sql);
  try {
    const nonces = new Set<string>();
    // Anonymous: pages redirect to /login, APIs refuse; both still carry the headers.
    for (const p of consolePages()) {
      const res = await request.get(concrete(p.route, canary), { maxRedirects: 0 });
      nonces.add(expectSecurityHeaders(`${p.route} (anonymous, ${res.status()})`, res.headers(), true));
    }
    for (const r of routeHandlers().filter((x) => x.method === "GET")) {
      const res = await request.get(concrete(r.route, canary), { maxRedirects: 0 });
      expectSecurityHeaders(`${r.route} (anonymous, ${res.status()})`, res.headers(), false);
    }
    expect(nonces.size, "a fresh nonce per request").toBe(consolePages().length);
  } finally {
    await removeCanary(sql, canary);
  }
});

test("every page works under the CSP: the runtime boots and nothing is blocked", async ({ page, sql }) => {
  test.setTimeout(180_000);
  const canary = await plantCanary(sql);
  try {
    const violations = await watchCsp(page);
    await page.goto("/login");
    await page.waitForFunction(() => (window as unknown as { next?: { version?: string } }).next?.version);
    await login(page, "admin");
    for (const p of consolePages().filter((x) => x.route !== "/login")) {
      const url = concrete(p.route, canary);
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      expectSecurityHeaders(url, (await res?.allHeaders()) ?? {}, true);
      await page.waitForFunction(
        () => (window as unknown as { next?: { version?: string } }).next?.version,
        undefined,
        { timeout: 15_000 },
      );
      await page.waitForLoadState("networkidle").catch(() => {}); // live pages keep an SSE stream open
      const inPage = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
      expect([...violations, ...inPage], `${url}: CSP violations`).toEqual([]);
    }
    // Client-side navigation (RSC fetches, chunk loads) under the same policy.
    await page.goto("/");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    // An unknown URL's 404 page is rendered per request too, so its scripts carry the nonce.
    await page.goto("/no-such-page");
    await page.waitForFunction(() => (window as unknown as { next?: { version?: string } }).next?.version);
    expect(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])).toEqual([]);
    expect(violations).toEqual([]);
  } finally {
    await removeCanary(sql, canary);
  }
});
