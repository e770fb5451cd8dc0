// Every server action and every route handler, found from the sources (tests/hostile/surface.ts),
// called directly: without a session, and with the role just below the one it declares. All must
// be refused — actions with UNAUTHENTICATED/FORBIDDEN and an audit row, routes with 401/403.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { loadAction, loadRoute, routeHandlers, serverActions } from "./surface";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));

// Its own client address: sign-ins made outside a request all come from "local", and the test
// files share one Postgres, so another file's failed sign-ins (the hostile corpus) could have
// throttled that address already.
vi.mock("@/lib/auth/client-address", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/client-address")>()),
  requestClientAddress: async () => `192.0.2.${process.pid % 250}`,
}));

const { db } = await import("@/lib/db/client");
const { createSession, SESSION_COOKIE } = await import("@/lib/auth/session");

/** Routes anyone may call: liveness and readiness only, they say nothing about the fleet. */
// Health checks, and single sign-on's two legs (signing in is what they are for).
const PUBLIC_ROUTES = new Set([
  "GET /api/health",
  "GET /api/health/live",
  "GET /api/health/ready",
  "GET /api/auth/oidc/login",
  "GET /api/auth/oidc/callback",
]);

const users = new Map<Role, { user: SessionUser; token: string }>();
const below = (role: Role): Role | null => ROLES[ROLES.indexOf(role) - 1] ?? null;

beforeAll(async () => {
  for (const role of ROLES) {
    const u = await db.user.create({ data: { username: `auth-${role}-${process.pid}`, role, passwordHash: "x" } });
    const { token } = await createSession(u.id);
    users.set(role, { user: { id: u.id, username: u.username, role, sessionId: "s" }, token });
  }
});

const deniedRows = (audit: string, actorName: string) =>
  db.auditLog.count({ where: { action: audit, actorName, result: "denied" } });

describe("every server action refuses callers without the declared role", () => {
  const actions = serverActions();

  it("finds the actions in lib/actions", () => {
    expect(actions.length).toBeGreaterThanOrEqual(25);
    for (const a of actions) expect([...ROLES, "public"]).toContain(a.role);
    expect(actions.filter((a) => a.role === "public").map((a) => a.name)).toEqual(["loginAction"]);
  });

  for (const a of actions.filter((x) => x.role !== "public")) {
    it(`${a.name} (${a.role}): no session → UNAUTHENTICATED, audited`, async () => {
      const fn = await loadAction(a);
      caller = null;
      const before = await deniedRows(a.audit, "anonymous");
      const res = await fn({ anything: "$(touch /tmp/convoy-pwned)" });
      expect(res).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
      expect(res).not.toHaveProperty("fieldErrors");
      expect(await deniedRows(a.audit, "anonymous")).toBe(before + 1);
    });

    const lower = below(a.role as Role);
    if (lower) {
      it(`${a.name} (${a.role}): ${lower} → FORBIDDEN, audited`, async () => {
        const fn = await loadAction(a);
        const who = users.get(lower)?.user ?? null;
        caller = who;
        const before = await deniedRows(a.audit, who?.username ?? "");
        const res = await fn({});
        expect(res).toMatchObject({ ok: false, code: "FORBIDDEN" });
        expect(await deniedRows(a.audit, who?.username ?? "")).toBe(before + 1);
      });
    }
  }
});

describe("every route handler checks the session and role itself", () => {
  const routes = routeHandlers();
  const url = (r: { route: string }) =>
    `http://127.0.0.1:3000${r.route.replaceAll(/\[\w+\]/g, "00000000-0000-4000-8000-000000000000")}`;
  const ctx = { params: Promise.resolve({ id: "00000000-0000-4000-8000-000000000000" }) };
  const request = (r: { route: string; method: string }, headers: Record<string, string> = {}) =>
    new NextRequest(url(r), { method: r.method, headers });

  it("finds the route handlers under app/", () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const r of routes) {
      if (r.role === null)
        expect(PUBLIC_ROUTES, `${r.file} calls neither apiRoute nor requireApiUser`).toContain(
          `${r.method} ${r.route}`,
        );
    }
  });

  for (const r of routes.filter((x) => x.role !== null)) {
    it(`${r.method} ${r.route}: no session → 401`, async () => {
      const res = await (await loadRoute(r))(request(r), ctx);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: "unauthenticated" });
    });

    it(`${r.method} ${r.route}: forged or unknown session cookie → 401`, async () => {
      for (const token of ["x".repeat(5_000), "' OR '1'='1", "\u202e", users.get("admin")?.token.slice(0, -1) ?? ""]) {
        const res = await (await loadRoute(r))(
          request(r, { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` }),
          ctx,
        );
        expect(res.status).toBe(401);
      }
    });

    const lower = below(r.role as Role);
    if (lower) {
      it(`${r.method} ${r.route}: ${lower} → 403`, async () => {
        const res = await (await loadRoute(r))(
          request(r, { cookie: `${SESSION_COOKIE}=${users.get(lower)?.token}` }),
          ctx,
        );
        expect(res.status).toBe(403);
      });
    }

    if (!["GET", "HEAD", "OPTIONS"].includes(r.method)) {
      it(`${r.method} ${r.route}: admin from a foreign Origin → 403`, async () => {
        const res = await (await loadRoute(r))(
          request(r, { cookie: `${SESSION_COOKIE}=${users.get("admin")?.token}`, origin: "https://evil.example" }),
          ctx,
        );
        expect(res.status).toBe(403);
      });
    }
  }
});

describe("requireApiUser on state-changing methods", () => {
  it("refuses an admin's POST from another origin or without an Origin, accepts the same origin", async () => {
    const { requireApiUser } = await import("@/lib/auth/route");
    const cookie = `${SESSION_COOKIE}=${users.get("admin")?.token}`;
    const post = (headers: Record<string, string>) =>
      new NextRequest("http://127.0.0.1:3000/api/x", {
        method: "POST",
        headers: { cookie, host: "127.0.0.1:3000", ...headers },
      });
    for (const origin of ["https://evil.example", "http://127.0.0.1:3000.evil.example", "null", "not a url"]) {
      const res = await requireApiUser(post({ origin }), "viewer", "test.post");
      expect(res instanceof Response && res.status, origin).toBe(403);
    }
    expect(await requireApiUser(post({}), "viewer", "test.post")).toBeInstanceOf(Response);
    expect(await requireApiUser(post({ origin: "http://127.0.0.1:3000" }), "viewer", "test.post")).toMatchObject({
      role: "admin",
    });
    expect(
      await db.auditLog.count({ where: { action: "api.test.post", result: "denied", error: "foreign origin" } }),
    ).toBe(5);
  });
});

describe("sign-in", () => {
  it("slows guessing of one user from one address (tests/hostile/login-throttle.test.ts has the rest)", async () => {
    const login = await loadAction(serverActions().find((a) => a.name === "loginAction") ?? serverActions()[0]!);
    const username = `ratelimit-${process.pid}`;
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(((await login({ username, password: "wrong" })) as { code: string }).code);
    expect(codes.slice(0, 4).every((c) => c === "UNAUTHENTICATED")).toBe(true);
    expect(codes[4]).toBe("RATE_LIMITED");
  });
});
