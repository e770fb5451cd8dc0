// The reported case (seed-000: a busy 72,000 MB guest that does not converge) driven end to end
// through /api/v1 with nothing but an API token and `fetch`: pre-check, predict, start, follow,
// a control (suspend to finish), completion, history with samples. Real Postgres (a database of
// its own: the in-process worker must not claim other files' migrations), the simulated fleet over
// real SSH, the real route handler behind a real HTTP server, the worker's real migration loop.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { RunningFleet } from "@/sim/fleet";
import { useIsolatedDatabase } from "../support/isolated-db";
import { type ApiServer, startApiServer } from "../support/api-server";
import { migrationList, migrationView } from "@/lib/schemas/wire";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));

const dropDatabase = await useIsolatedDatabase("api_seed000");
const { db } = await import("@/lib/db/client");
const { getSshPool } = await import("@/lib/ssh/pool");
const { MigrationLoop } = await import("@/lib/worker/migration-loop");
const { loadFleetFile } = await import("@/sim/fleet-file");
const { registerFleetHosts, startTestFleet } = await import("../support/sim-fleet");
const { createTokenAction } = await import("@/lib/actions/tokens");

let fleet: RunningFleet;
let api: ApiServer;
let worker: ReturnType<typeof setInterval>;
let token = "";
let hostIds = new Map<string, string>();

beforeAll(async () => {
  fleet = await startTestFleet(loadFleetFile("sim/fleets/test-small.yaml"), 20);
  hostIds = await registerFleetHosts(fleet, { inventory: true });
  // The operator makes a token on the Account page (the action), and from then on only the token is used.
  const operator = await db.user.create({ data: { username: "api-operator", role: "operator", passwordHash: "x" } });
  caller = { id: operator.id, username: operator.username, role: "operator", sessionId: "s" };
  const created = await createTokenAction({ name: "seed-000 script", role: "operator", expiresInDays: 1 });
  if (!created.ok) throw new Error(created.message);
  token = created.data.secret;
  caller = null;
  api = await startApiServer();
  const loop = new MigrationLoop("api-test-worker");
  let busy = false;
  worker = setInterval(() => {
    if (busy) return;
    busy = true;
    loop.tick().finally(() => (busy = false));
  }, 1_000);
}, 90_000);

afterAll(async () => {
  clearInterval(worker);
  await api?.close();
  await getSshPool().closeAll();
  await fleet?.stop();
  await db.$disconnect();
  await dropDatabase();
});

async function call<T = Record<string, unknown>>(
  method: "GET" | "POST",
  p: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api.url}/api/v1${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) as T,
  };
}

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

type Migration = {
  state: string;
  verdict: { verdict?: string } | null;
  samples: unknown[];
  events: { type: string; source: string }[];
  dest: { name: string };
  downtimeMs: number | null;
  guestLocation: { text: string } | null;
};

describe("seed-000 through the API with only a token", () => {
  it("pre-checks, predicts NO-GO, starts, sees it stall, suspends to finish and finds it in the history", async () => {
    const vms = await call<{ id: string; name: string; host: { name: string } }[]>("GET", "/vms");
    expect(vms.status).toBe(200);
    const vm = vms.body.find((v) => v.name === "stress-vm");
    expect(vm?.host.name).toBe("hv1");
    const vmId = vm?.id ?? "";
    const hv2 = hostIds.get("hv2");

    const pre = await call<{ chosen: { hostName: string; result: { ok: boolean } } }>("POST", `/vms/${vmId}/precheck`, {
      destHostId: hv2,
    });
    expect(pre.status).toBe(200);
    expect(pre.body.chosen).toMatchObject({ hostName: "hv2", result: { ok: true } });

    const predicted = await call<Record<string, unknown>>("POST", `/vms/${vmId}/predict`, { seconds: 1 });
    expect(predicted.status).toBe(200);

    const options = {
      maxDowntimeMs: 300,
      autoConverge: { enabled: false, initial: 20, increment: 10 },
      postcopy: false,
    };
    const key = randomUUID();
    const started = await call<{ migrationId: string; duplicate: boolean }>("POST", `/vms/${vmId}/migrations`, {
      destHostId: hv2,
      options,
      policyName: "none",
      idempotencyKey: key,
    });
    expect(started.status).toBe(200);
    expect(started.body.duplicate).toBe(false);
    const id = started.body.migrationId;
    // The same key again is the same migration (a script's retry starts nothing twice).
    expect(
      (
        await call<{ migrationId: string; duplicate: boolean }>("POST", `/vms/${vmId}/migrations`, {
          destHostId: hv2,
          options,
          policyName: "none",
          idempotencyKey: key,
        })
      ).body,
    ).toEqual({ migrationId: id, duplicate: true });

    const stalled = await poll(
      () => call<Migration>("GET", `/migrations/${id}`),
      (r) => /stalled|wont-converge/.test(r.body.verdict?.verdict ?? ""),
      90_000,
    );
    expect(stalled.body.state).toBe("running");
    expect(stalled.body.verdict?.verdict).toMatch(/stalled|wont-converge/);
    expect(stalled.body.samples.length).toBeGreaterThan(0);
    // What the API sends is the one wire shape, with the verdict typed (lib/schemas/wire.ts).
    expect(migrationView.parse(stalled.body)).toEqual(stalled.body);

    const suspended = await call("POST", `/migrations/${id}/controls/suspend-to-finish`, {
      idempotencyKey: randomUUID(),
    });
    expect(suspended.status).toBe(200);

    const done = await poll(
      () => call<Migration>("GET", `/migrations/${id}`),
      (r) => !["queued", "launching", "running", "postcopy"].includes(r.body.state),
      90_000,
    );
    expect(done.body.state).toBe("completed");
    expect(done.body.dest.name).toBe("hv2");
    expect(done.body.downtimeMs).toBeGreaterThan(0);
    expect(done.body.events).toContainEqual(expect.objectContaining({ type: "suspend-to-finish", source: "operator" }));

    const history = await call<{ history: { id: string; state: string }[] }>(
      "GET",
      "/migrations?vm=stress-vm&outcome=completed",
    );
    expect(history.status).toBe(200);
    expect(history.body.history.map((m) => m.id)).toContain(id);
    expect(migrationList.parse(history.body)).toEqual(history.body);

    // Every call was audited as the token's owner, naming the token; the actions under their own names.
    const rows = await db.auditLog.findMany({
      where: { actorName: "api-operator", action: { not: "token.create" } },
      select: { action: true, result: true, tokenId: true },
    });
    expect(rows.every((r) => r.tokenId !== null)).toBe(true);
    expect(rows.map((r) => `${r.action}:${r.result}`)).toEqual(
      expect.arrayContaining([
        "migration.precheck:ok",
        "migration.predict:ok",
        "migration.start:ok",
        "migration.suspend-to-finish:ok",
      ]),
    );
    expect((await db.apiToken.findFirstOrThrow({ where: { name: "seed-000 script" } })).lastUsedAt).not.toBeNull();
  }, 240_000);
});
