// Every /api/v1 endpoint, enumerated from the OpenAPI document the server itself serves (so a new
// endpoint is covered without anyone listing it), over real HTTP against a real Postgres:
// anonymous, malformed, expired, revoked and disabled-owner tokens → 401; a token below the
// endpoint's role (or capped by its owner's lowered role) → 403; malformed and hostile bodies →
// 4xx (never 5xx, never internals); an oversize body → 413; unknown query parameters → 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "@/lib/auth/roles";
import { hostileCorpus } from "../hostile/corpus";
import { type ApiServer, startApiServer } from "../support/api-server";

const { db } = await import("@/lib/db/client");
const { newTokenSecret } = await import("@/lib/auth/tokens");

const MISSING = "00000000-0000-4000-8000-000000000000";
const tag = `v1s-${process.pid}`;
let api: ApiServer;
const tokens = new Map<string, string>();

type Op = { method: "get" | "post"; path: string; role: Role; hasBody: boolean; action: string | null };
let ops: Op[] = [];

async function makeToken(
  name: string,
  role: Role,
  owner: { role: Role; disabled?: boolean },
  token: { expiresAt?: Date; revokedAt?: Date } = {},
) {
  const u = await db.user.create({
    data: { username: `${tag}-${name}`, role: owner.role, disabled: owner.disabled ?? false, passwordHash: "x" },
  });
  const { secret, secretHash, prefix } = newTokenSecret();
  await db.apiToken.create({
    data: {
      name,
      userId: u.id,
      role,
      secretHash,
      prefix,
      expiresAt: token.expiresAt ?? new Date(Date.now() + 3_600_000),
      revokedAt: token.revokedAt,
    },
  });
  tokens.set(name, secret);
  return u;
}

beforeAll(async () => {
  api = await startApiServer();
  for (const role of ROLES) await makeToken(role, role, { role });
  await makeToken("expired", "admin", { role: "admin" }, { expiresAt: new Date(Date.now() - 1000) });
  await makeToken("revoked", "admin", { role: "admin" }, { revokedAt: new Date() });
  await makeToken("disabled-owner", "admin", { role: "admin", disabled: true });
  const demoted = await makeToken("demoted", "admin", { role: "admin" });
  await db.user.update({ where: { id: demoted.id }, data: { role: "viewer" } });
  const doc = (await (await send("get", "/openapi.json", { token: "viewer" })).json()) as {
    openapi: string;
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  expect(doc.openapi).toBe("3.1.0");
  ops = Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, o]) => ({
      method: method as Op["method"],
      path: p,
      role: o["x-convoy-role"] as Role,
      hasBody: Boolean(o.requestBody),
      action: o["x-convoy-action"] as string | null,
    })),
  );
});
afterAll(() => api?.close());

function send(
  method: string,
  p: string,
  opts: { token?: string; raw?: string; body?: unknown; type?: string; query?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${tokens.get(opts.token) ?? opts.token}`;
  const body =
    opts.raw ?? (opts.body === undefined ? (method === "post" ? "{}" : undefined) : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = opts.type ?? "application/json";
  return fetch(`${api.url}/api/v1${p.replaceAll(/\{\w+\}/g, MISSING)}${opts.query ?? ""}`, {
    method: method.toUpperCase(),
    headers,
    body,
  });
}

function jsonable(v: unknown): boolean {
  try {
    return JSON.stringify(v) !== undefined;
  } catch {
    return false;
  }
}

const below = (role: Role): Role | null => ROLES[ROLES.indexOf(role) - 1] ?? null;
const INTERNALS = /prisma|Invalid `|node_modules|\n\s+at |SELECT |violates/i;

describe("/api/v1 from its OpenAPI document", () => {
  it("lists every endpoint of the issue, each with a role; mutating ones name the server action they run", () => {
    expect(ops.length).toBeGreaterThanOrEqual(28);
    for (const o of ops) expect(ROLES, `${o.method} ${o.path}`).toContain(o.role);
    for (const o of ops.filter((x) => x.method === "post"))
      expect(o.action, `${o.method} ${o.path}`).toMatch(/Action$/);
    const names = ops.map((o) => `${o.method} ${o.path}`);
    for (const must of [
      "get /fleet",
      "get /hosts",
      "get /vms",
      "post /vms/{id}/precheck",
      "post /vms/{id}/predict",
      "post /vms/{id}/migrations",
      "post /migrations/{id}/controls/abort",
      "get /migrations/{id}",
      "post /windows",
      "post /windows/{id}/plan",
      "post /windows/{id}/run",
      "post /windows/{id}/pause",
      "post /windows/{id}/cancel",
      "post /windows/{id}/arm",
      "post /windows/{id}/disarm",
      "get /windows/{id}/report",
      "get /windows/{id}/report.csv",
    ]) {
      expect(names).toContain(must);
    }
  });

  it("documents what each read answers, in the wire shapes the console receives: a migration with its typed verdict", async () => {
    type Schema = { type?: string; properties?: Record<string, unknown>; required?: string[] };
    const doc = (await (await send("get", "/openapi.json", { token: "viewer" })).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
      >;
    };
    const answers = (path: string) => doc.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    const view = answers("/migrations/{id}");
    expect(view?.required).toEqual(expect.arrayContaining(["state", "verdict", "samples", "events"]));
    expect(JSON.stringify(view?.properties?.verdict)).toContain('"wont-converge"');
    for (const path of ["/fleet", "/hosts", "/hosts/{id}", "/vms", "/migrations", "/windows/{id}"])
      expect(answers(path)?.type, path).toMatch(/object|array/);
    expect(JSON.stringify(doc)).not.toContain("$defs"); // self-contained: no reference that cannot resolve
  });

  it("documents what a body endpoint refuses: 413, 415, and (additionalProperties: false) any field its schema does not name", async () => {
    const doc = (await (await send("get", "/openapi.json", { token: "viewer" })).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    const open: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== "object" || node === null) return;
      const o = node as Record<string, unknown>;
      if (o.type === "object" && o.properties && o.additionalProperties !== false) open.push(where);
      for (const [k, v] of Object.entries(o)) walk(v, `${where}.${k}`);
    };
    for (const o of ops.filter((x) => x.hasBody)) {
      const op = doc.paths[o.path]?.[o.method];
      expect(Object.keys(op?.responses ?? {}), o.path).toEqual(expect.arrayContaining(["400", "413", "415"]));
      walk(op?.requestBody, o.path);
    }
    expect(open).toEqual([]);
  });

  it("refuses anonymous, malformed, unknown, expired, revoked and disabled-owner tokens with 401 on every endpoint", async () => {
    const bad: string[] = [];
    for (const o of ops) {
      for (const token of [
        undefined,
        "cvy_short",
        `cvy_${"A".repeat(43)}`,
        "expired",
        "revoked",
        "disabled-owner",
        "' OR 1=1 --",
      ]) {
        const res = await send(o.method, o.path, { token });
        if (res.status !== 401) bad.push(`${o.method} ${o.path} as ${token}: ${res.status}`);
        else expect(await res.json()).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
      }
    }
    expect(bad).toEqual([]);
  });

  it("refuses a token below the endpoint's role, and one capped by its owner's lowered role, with 403 (audited)", async () => {
    const bad: string[] = [];
    for (const o of ops) {
      const lower = below(o.role);
      for (const token of lower ? [lower, ...(o.role !== "viewer" ? ["demoted"] : [])] : []) {
        const res = await send(o.method, o.path, { token });
        if (res.status !== 403) bad.push(`${o.method} ${o.path} as ${token}: ${res.status}`);
      }
    }
    expect(bad).toEqual([]);
    expect(
      await db.auditLog.count({ where: { actorName: `${tag}-viewer`, result: "denied", tokenId: { not: null } } }),
    ).toBeGreaterThan(0);
  });

  it("answers malformed bodies with a 400 problem naming the field, a wrong media type with 415 and an oversize body with 413 — never 5xx", {
    timeout: 30_000,
  }, async () => {
    const bad: string[] = [];
    const malformed = [
      "not json",
      '{"a":',
      "[1,2]",
      '"text"',
      "null",
      "42",
      '{"idempotencyKey":{"$gt":""},"destHostId":[],"seconds":"x","ms":-1,"name":7}',
    ];
    const huge = JSON.stringify({ name: "x".repeat(300 * 1024) });
    const expectProblem = async (res: Response, status: number, what: string) => {
      const problem =
        res.headers.get("content-type") === "application/problem+json"
          ? ((await res.json()) as { status: number; fieldErrors?: Record<string, string[]> })
          : null;
      if (res.status !== status || problem?.status !== status)
        bad.push(`${what}: ${res.status} ${res.headers.get("content-type")}`);
      return problem;
    };
    // Endpoints side by side, each one's requests in turn: a few seconds in all.
    await Promise.all(
      ops
        .filter((x) => x.hasBody)
        .map(async (o) => {
          for (const raw of malformed) {
            const problem = await expectProblem(
              await send(o.method, o.path, { token: "admin", raw }),
              400,
              `${o.method} ${o.path} ${raw.slice(0, 20)}`,
            );
            // Invalid JSON is the body's fault as a whole; otherwise the problem names the fields (or "_", the body, when it is not an object).
            if (
              raw.startsWith('{"idem') &&
              !Object.keys(problem?.fieldErrors ?? {}).some((k) =>
                ["idempotencyKey", "destHostId", "seconds", "ms", "name"].includes(k),
              )
            )
              bad.push(`${o.path}: names no field: ${JSON.stringify(problem)}`);
            if (["[1,2]", "null", "42"].includes(raw) && !problem?.fieldErrors?._)
              bad.push(`${o.path} ${raw}: no body-level field error`);
          }
          await expectProblem(
            await send(o.method, o.path, { token: "admin", raw: "{}", type: "text/plain" }),
            415,
            `${o.path} text/plain`,
          );
          await expectProblem(
            await send(o.method, o.path, { token: "admin", raw: "{}", type: "application/x-www-form-urlencoded" }),
            415,
            `${o.path} form`,
          );
          await expectProblem(await send(o.method, o.path, { token: "admin", raw: huge }), 413, `${o.path} oversize`);
        }),
    );
    expect(bad).toEqual([]);
  });

  const windowBody = {
    name: "nightly",
    startsAt: "2030-01-01T01:00:00Z",
    endsAt: "2030-01-01T03:00:00Z",
    hostIds: [MISSING],
    alertWebhooks: [{ url: "https://hooks.example.com/x", format: "slack" }],
  };
  it("refuses fields the endpoint does not know (a misspelt option is not silently replaced by its default), naming each", async () => {
    const cases: { path: string; body: unknown; unknown: string[] }[] = [
      { path: "/vms/{id}/predict", body: { seconds: 2, secnds: 3 }, unknown: ["secnds"] },
      {
        path: "/vms/{id}/migrations",
        body: {
          destHostId: "best",
          idempotencyKey: MISSING,
          options: { maxDowntimeMS: 50, autoConverge: { enabled: true, step: 5 } },
        },
        unknown: ["options.maxDowntimeMS", "options.autoConverge.step"],
      },
      { path: "/migrations/{id}/controls/abort", body: { idempotencyKey: MISSING, force: true }, unknown: ["force"] },
      { path: "/windows/{id}/plan", body: { dryRun: false }, unknown: ["dryRun"] },
      {
        path: "/windows",
        body: {
          ...windowBody,
          owner: "x",
          alertWebhooks: [{ url: "https://hooks.example.com/x", format: "slack", channel: "#ops" }],
        },
        unknown: ["owner", "alertWebhooks.0.channel"],
      },
    ];
    for (const c of cases) {
      const res = await send("post", c.path, { token: "admin", body: c.body });
      expect(res.status, c.path).toBe(400);
      const problem = (await res.json()) as { fieldErrors: Record<string, string[]> };
      expect(Object.keys(problem.fieldErrors).sort(), c.path).toEqual([...c.unknown].sort());
    }
    // The same bodies without the stray fields get past validation (to the missing VM, or the action's own checks).
    expect((await send("post", "/vms/{id}/predict", { token: "admin", body: { seconds: 2 } })).status).toBe(404);
    expect((await send("post", "/windows", { token: "admin", body: windowBody })).status).toBe(404);
  });

  it("keeps a keep-alive connection usable after refusing an upload, declared or streamed: the next request answers at once", {
    timeout: 20_000,
  }, async () => {
    const huge = "x".repeat(2 * 1024 * 1024);
    const post = (body: BodyInit) =>
      fetch(`${api.url}/api/v1/migrations/${MISSING}/controls/abort`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.get("admin")}`, "content-type": "application/json" },
        body,
        duplex: "half",
        signal: AbortSignal.timeout(5_000),
      } as RequestInit);
    const streamed = () => new Blob([huge]).stream();
    for (const body of [huge, streamed(), huge, streamed()]) {
      expect((await post(body)).status).toBe(413);
      const next = await post(JSON.stringify({ idempotencyKey: MISSING }));
      expect(next.status).toBe(404);
    }
  });

  it("sends the hostile corpus as bodies of the mutating endpoints: a 4xx problem, no internals", {
    timeout: 180_000,
  }, async () => {
    const bad: string[] = [];
    const corpus = hostileCorpus().filter((c) => jsonable(c.value));
    // Each endpoint gets every wrong type and a third of the rest, rotated, so every value meets several endpoints.
    const calls = ops
      .filter((x) => x.hasBody)
      .flatMap((o, n) =>
        corpus.filter((c, i) => c.category === "wrong-type" || i % 3 === n % 3).map((c) => ({ o, c })),
      );
    for (let i = 0; i < calls.length; i += 16) {
      await Promise.all(
        calls.slice(i, i + 16).map(async ({ o, c }) => {
          const res = await send(o.method, o.path, { token: "admin", body: c.value });
          const text = await res.text();
          if (res.status < 400 || res.status >= 500 || INTERNALS.test(text))
            bad.push(`${o.method} ${o.path} ${c.label}: ${res.status} ${text.slice(0, 100)}`);
        }),
      );
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it("refuses unknown or repeated query parameters with 400 and a bad path id with 404", async () => {
    const bad: string[] = [];
    for (const o of ops) {
      // Names that are Object.prototype's own must be refused like any other unknown one.
      for (const [query, field] of [
        ["?zzz=1", "zzz"],
        ["?from=2026-01-01&from=2026-01-02", "from"],
        ["?constructor=1", "constructor"],
        ["?__proto__=1", "__proto__"],
        ["?toString=x", "toString"],
      ]) {
        const res = await send(o.method, o.path, { token: "admin", query });
        const problem =
          res.headers.get("content-type") === "application/problem+json"
            ? ((await res.json()) as { fieldErrors?: Record<string, string[]> })
            : null;
        if (res.status !== 400 || !Object.hasOwn(problem?.fieldErrors ?? {}, field ?? ""))
          bad.push(`${o.method} ${o.path}${query}: ${res.status} ${JSON.stringify(problem)}`);
      }
      if (o.path.includes("{id}")) {
        const res = await fetch(`${api.url}/api/v1${o.path.replace("{id}", "not-a-uuid")}`, {
          method: o.method.toUpperCase(),
          headers: { authorization: `Bearer ${tokens.get("admin")}`, "content-type": "application/json" },
          body: o.method === "post" ? "{}" : undefined,
        });
        if (res.status !== 404) bad.push(`${o.method} ${o.path} bad id: ${res.status}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("answers a bad value of a query parameter with a 400 naming it, never a 500 (GET /migrations' filters)", async () => {
    const cases: [string, string][] = [
      ["from=9999-99-99", "from"],
      ["to=2026-02-30", "to"],
      ["from=2026-02-01&to=2026-01-01", "to"],
      ["outcome=exploded", "outcome"],
      ["host=a;b", "host"],
      [`vm=${"v".repeat(201)}`, "vm"],
      ["vm=a%00b", "vm"],
    ];
    for (const [query, field] of cases) {
      const res = await send("get", "/migrations", { token: "viewer", query: `?${query}` });
      expect(res.status, query).toBe(400);
      expect(Object.keys(((await res.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors), query).toEqual(
        [field],
      );
    }
    expect(
      (
        await send("get", "/migrations", {
          token: "viewer",
          query: "?from=2026-01-01&to=2026-01-31&outcome=completed&host=hv1",
        })
      ).status,
    ).toBe(200);
  });

  it("answers 404 for a path no endpoint has (after authentication), 405 for a wrong method", async () => {
    expect((await send("get", "/nope")).status).toBe(401);
    expect((await send("get", "/nope", { token: "viewer" })).status).toBe(404);
    expect((await send("post", "/fleet", { token: "viewer" })).status).toBe(405);
  });
});
