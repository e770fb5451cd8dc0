// Query parameters of every route handler (issue 13, class 6): found from app/ (tests/hostile/
// surface.ts), each called as an admin with bad values — unknown, repeated, over-long, and for the
// migrations history every filter's bad spellings (`from=9999-99-99` used to reach Prisma as an
// Invalid Date: a 500). Each must answer 400 with a message naming the parameter, never 5xx.
import { readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRoute, routeHandlers } from "./surface";

const { db } = await import("@/lib/db/client");
const { createSession, SESSION_COOKIE } = await import("@/lib/auth/session");

const ROOT = path.resolve(import.meta.dirname, "../..");
const ID = "00000000-0000-4000-8000-000000000000";

/** Bad values per parameter a route declares; every route also gets the generic ones below. */
const BAD: Record<string, string[]> = {
  from: [
    "9999-99-99",
    "2026-02-30",
    "0000-00-00",
    "1969-12-31",
    "2026-1-1",
    "yesterday",
    "2026-01-01T00:00:00Z",
    "2026-01-01'--",
  ],
  to: ["9999-99-99", "2026-13-01", "+002026-01-01"],
  outcome: ["bogus", "RUNNING", "running;drop"],
  host: ["a b", "hv1/../x", "x".repeat(300), "%00"],
  vm: ["x".repeat(201), "a\u0000b", "line\nbreak"],
};
const GENERIC = ["zzz=1", "from=2026-01-01&from=2026-01-02", `q=${"x".repeat(2_100)}`];

let cookie = "";
beforeAll(async () => {
  const u = await db.user.create({
    data: { username: `query-admin-${process.pid}`, role: "admin", passwordHash: "x" },
  });
  cookie = `${SESSION_COOKIE}=${(await createSession(u.id)).token}`;
});

const routes = routeHandlers();
/** A handler declared without parameters (`GET()`: health checks) cannot read the request at all. */
const readsNothing = (r: (typeof routes)[number]) =>
  new RegExp(`function ${r.method}\\(\\s*\\)`).test(readFileSync(path.join(ROOT, r.file), "utf8"));
const call = async (r: (typeof routes)[number], query: string) => {
  const url = `http://127.0.0.1:3000${r.route.replaceAll(/\[\w+\]/g, ID)}?${query}`;
  const handler = await loadRoute(r);
  return handler(new NextRequest(url, { method: r.method, headers: { cookie } }), {
    params: Promise.resolve({ id: ID }),
  });
};

describe("every route handler validates its query parameters", () => {
  it("each one parses its query with a declared schema (a new route is covered or this fails)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const r of routes) {
      if (readsNothing(r)) continue;
      // apiRoute parses the query with the route's `query` schema, or refuses any parameter.
      expect(readFileSync(path.join(ROOT, r.file), "utf8"), r.file).toMatch(/parseQuery\(req, \w+\)|apiRoute\(/);
    }
  });

  for (const r of routes.filter((x) => !readsNothing(x))) {
    const declared = r.route === "/api/migrations" ? Object.keys(BAD) : [];
    const queries = [
      ...GENERIC,
      ...declared.flatMap((k) => (BAD[k] ?? []).map((v) => `${k}=${encodeURIComponent(v)}`)),
      ...(declared.length ? ["from=2026-02-01&to=2026-01-01"] : []),
    ];
    it(`${r.method} ${r.route}: ${queries.length} bad queries → 400 with a message`, async () => {
      for (const q of queries) {
        const res = await call(r, q);
        expect(res.status, q.slice(0, 60)).toBe(400);
        const body = (await res.json()) as { error: string; fieldErrors: Record<string, string[]> };
        expect(body.error, q.slice(0, 60)).toMatch(/^Invalid query parameters — \S/);
        expect(JSON.stringify(body)).not.toMatch(/prisma|Invalid `|stack|at \w+ \(/i);
      }
    });
  }

  it("GET /api/migrations: the message names the parameter, good filters still answer 200", async () => {
    const r = routes.find((x) => x.route === "/api/migrations" && x.method === "GET");
    if (!r) throw new Error("GET /api/migrations not found");
    const bad = (await (await call(r, "from=9999-99-99")).json()) as { fieldErrors: Record<string, string[]> };
    expect(bad.fieldErrors).toEqual({ from: ["Not a calendar date"] });
    expect(((await (await call(r, "zzz=1")).json()) as { fieldErrors: unknown }).fieldErrors).toEqual({
      zzz: ["Unknown parameter"],
    });
    for (const q of ["", "from=2024-02-29&to=2026-12-31&outcome=failed&host=hv1&vm=web-01", "from=&vm="])
      expect((await call(r, q)).status, q).toBe(200);
  });
});
