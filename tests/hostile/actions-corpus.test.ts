// Every server action (enumerated from lib/actions) × every field of its input × every value of
// the hostile corpus, called as an admin against a real Postgres. Each call must come back as a
// structured result (never a throw, never a stack or driver text), write exactly one audit row,
// change no other row unless the action accepted the input, and run no SSH command for input the
// schema refused. Accepted hostile values must be stored verbatim.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { generateEd25519 } from "@/lib/ssh/keygen";
import { hostileCorpus } from "./corpus";
import { tableChecksums, useIsolatedDatabase } from "../support/isolated-db";
import { loadAction, type ServerAction, serverActions } from "./surface";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
  // No Next request here, so no cookie store: the cookie itself is covered by the e2e suite.
  setSessionCookie: async () => {},
  destroySession: async () => {},
}));

const dropDatabase = await useIsolatedDatabase("hostile_actions");
const { db } = await import("@/lib/db/client");
const { getSshPool } = await import("@/lib/ssh/pool");
const { GENERIC_ERROR } = await import("@/lib/errors");
const { actionConfig, auditName } = await import("@/lib/actions/action");

const MISSING = "00000000-0000-4000-8000-000000000000";
const KEY = () => "11111111-1111-4111-8111-111111111111";
const CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "INVALID",
  "NOT_FOUND",
  "CONFLICT",
  "SSH_UNREACHABLE",
  "SSH_AUTH",
  "HOST_KEY_MISMATCH",
  "SSH_TIMEOUT",
  "REMOTE_ERROR",
  "RATE_LIMITED",
];
const privateKey = generateEd25519().private;
let activeHostId = "";

/**
 * A valid input per action: each field is then replaced by each hostile value. A new action
 * without an entry here (or in VARIANTS) fails the first test.
 */
const BASE: Record<string, () => Record<string, unknown>> = {
  loginAction: () => ({ username: "nobody-hostile", password: "not the password" }),
  logoutAction: () => ({}),
  signOutEverywhereAction: () => ({}),
  changePasswordAction: () => ({ currentPassword: "not the password", newPassword: "tangerine ladder quietly orbits" }),
  revokeUserSessionsAction: () => ({ userId: MISSING }),
  setUserDisabledAction: () => ({ userId: MISSING, disabled: true }),
  addHostAction: () => ({
    name: "hostile-host",
    address: "127.0.0.1",
    port: 1, // nothing listens: a schema-valid host ends as SSH_UNREACHABLE, nothing stored
    sshUser: "root",
    privateKey,
    libvirtUri: "qemu:///system",
    migrationUriTemplate: "qemu+ssh://{host}/system",
    nicGbps: 10,
    sharedStoragePrefixes: ["/mnt/shared/"],
  }),
  confirmHostKeyAction: () => ({ hostId: MISSING, fingerprint: `SHA256:${"A".repeat(43)}` }),
  probeHostKeyAction: () => ({ hostId: MISSING }),
  removeHostAction: () => ({ hostId: MISSING }),
  setHostMaintenanceAction: () => ({ hostId: MISSING, maintenance: true }),
  importInventoryAction: () => ({
    text: JSON.stringify({ hosts: [{ name: "imported", address: "10.0.0.1", privateKey }] }),
  }),
  precheckMigrationAction: () => ({ vmId: MISSING, destHostId: "best" }),
  predictMigrationAction: () => ({ vmId: MISSING, seconds: 1 }),
  startMigrationAction: () => ({
    vmId: MISSING,
    destHostId: "best",
    options: {
      bandwidthMiB: 100,
      maxDowntimeMs: 300,
      autoConverge: { enabled: true, initial: 20, increment: 10 },
      postcopy: true,
      copyStorage: true,
      migrateDisks: ["vda"],
      parallelConnections: 2,
      compressed: false,
      tls: false,
      timeout: { seconds: 60, action: "suspend" },
      persistent: true,
      undefineSource: true,
    },
    overrideReason: "maintenance of the rack",
    policyName: "default",
    idempotencyKey: KEY(),
  }),
  setServiceCheckAction: () => ({ vmUuid: MISSING, vmName: "vm-a", target: "10.0.0.5:443" }),
  savePolicyAction: () => ({
    json: JSON.stringify({
      name: "hostile",
      steps: [{ when: "stalled", afterSeconds: 10, action: "suspend-to-finish" }],
    }),
  }),
  createUserAction: () => ({ username: "hostile-user", password: "tangerine ladder quietly orbits", role: "viewer" }),
  createWindowAction: () => ({
    name: "hostile window",
    startsAt: "2030-01-01T00:00:00.000Z",
    endsAt: "2030-01-01T02:00:00.000Z",
    hostIds: [activeHostId],
    downtimeBudgetMs: 1000,
    maxOutbound: 2,
    maxInbound: 2,
    policyName: "none",
    excludedHostIds: [],
    antiAffinity: { pair: ["vm-a", "vm-b"] },
  }),
  planWindowAction: () => ({ windowId: MISSING }),
  runWindowAction: () => ({ windowId: MISSING }),
  pauseWindowAction: () => ({ windowId: MISSING }),
  resumeWindowAction: () => ({ windowId: MISSING }),
  cancelWindowAction: () => ({ windowId: MISSING }),
  armWindowAction: () => ({ windowId: MISSING }),
  disarmWindowAction: () => ({ windowId: MISSING }),
  createTokenAction: () => ({ name: "ci token", role: "viewer", expiresInDays: 30 }),
  revokeTokenAction: () => ({ tokenId: MISSING }),
  createServiceAccountAction: () => ({ username: "hostile-svc", role: "viewer" }),
};

/** The controls share one action: each control's own input is exercised, as when each had its own. */
const VARIANTS: Record<string, () => Record<string, unknown>[]> = {
  controlMigrationAction: () => {
    const control = { migrationId: MISSING, idempotencyKey: KEY() };
    const throttle = { ...control, initial: 20, increment: 10 };
    return [
      { action: "set-max-downtime", ...control, ms: 300 },
      { action: "set-bandwidth", ...control, mib: 100 },
      { action: "throttle-harder", ...throttle },
      { action: "restart-with-auto-converge", ...throttle },
      { action: "suspend-to-finish", ...control },
      { action: "switch-to-postcopy", ...control },
      { action: "abort", ...control },
    ];
  },
};

type Result = { ok: boolean; code?: string; message?: string; fieldErrors?: Record<string, string[]>; data?: unknown };
type Call = { field: string; label: string; input: unknown; value: unknown };

/** Every path of the base input, objects and array elements included ("options.timeout.seconds", "hostIds.0"). */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...fieldPaths(v, [...prefix, k])]);
}

function withValue(base: Record<string, unknown>, path: string[], value: unknown): unknown {
  const copy = structuredClone(base);
  let node = copy as Record<string, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[path.at(-1) as string] = value;
  return copy;
}

function callsFor(name: string): Call[] {
  const bases = VARIANTS[name]?.() ?? [BASE[name]?.() ?? {}];
  const corpus = hostileCorpus();
  const calls: Call[] = corpus.map((c) => ({ field: "(whole input)", label: c.label, input: c.value, value: c.value }));
  // Top-level fields get every value; nested ones (launch options…) every third, plus every
  // wrong type and number, which keeps the run short without leaving a category out.
  const nested = corpus.filter((c, i) => i % 3 === 0 || c.category === "wrong-type" || c.category === "number");
  for (const base of bases) {
    for (const path of fieldPaths(base)) {
      for (const c of path.length > 1 ? nested : corpus)
        calls.push({ field: path.join("."), label: c.label, input: withValue(base, path, c.value), value: c.value });
    }
  }
  // The inventory file is itself a form with fields: each host field gets every value too.
  if (name === "importInventoryAction") {
    const host = {
      name: "imported",
      address: "10.0.0.1",
      port: 22,
      sshUser: "root",
      privateKey,
      libvirtUri: "qemu:///system",
      migrationUriTemplate: "qemu+ssh://{host}/system",
      nicGbps: 10,
      sharedStoragePrefixes: ["/mnt/shared/"],
      hostKeyFingerprint: `SHA256:${"C".repeat(43)}`,
    };
    for (const field of Object.keys(host)) {
      for (const c of nested) {
        const text = jsonOrNull({ hosts: [{ ...host, [field]: c.value }] });
        if (text) calls.push({ field: `text → hosts[0].${field}`, label: c.label, input: { text }, value: c.value });
      }
    }
  }
  return calls;
}

function jsonOrNull(v: unknown): string | null {
  try {
    return JSON.stringify(v);
  } catch {
    return null; // BigInt: not expressible in an inventory file
  }
}

async function runAll<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

const accepted: { action: string; field: string; label: string; value: unknown; data: unknown }[] = [];

beforeAll(async () => {
  const admin = await db.user.create({ data: { username: "hostile-admin", role: "admin", passwordHash: "x" } });
  caller = { id: admin.id, username: admin.username, role: "admin", sessionId: "s" };
  const host = await db.host.create({
    data: {
      name: "drainable",
      address: "127.0.0.1",
      port: 1,
      sshUser: "root",
      privateKeyEnc: "x",
      hostKeyFingerprint: `SHA256:${"B".repeat(43)}`,
      status: "active",
    },
  });
  activeHostId = host.id;
});

afterAll(async () => {
  await getSshPool().closeAll();
  await db.$disconnect();
  await dropDatabase();
});

describe("hostile corpus through every server action", () => {
  const actions = serverActions();

  it("has a base input for every action in lib/actions", () => {
    expect(actions.map((a) => a.name).filter((n) => !BASE[n] && !VARIANTS[n])).toEqual([]);
    expect(hostileCorpus().length).toBeGreaterThanOrEqual(200);
  });

  for (const a of actions) {
    it(`${a.name}: every field × ${hostileCorpus().length} hostile values → structured refusal or verbatim acceptance`, {
      timeout: 240_000,
    }, async () => {
      await exercise(a);
    });
  }

  it("GET /api/migrations answers hostile filters with 400 and field errors, never a 500", async () => {
    const { GET } = await import("@/app/api/migrations/route");
    const { NextRequest } = await import("next/server");
    const { createSession, SESSION_COOKIE } = await import("@/lib/auth/session");
    const { token } = await createSession(caller?.id ?? "");
    const bad: string[] = [];
    for (const param of ["host", "vm", "outcome", "from", "to"]) {
      for (const c of hostileCorpus()) {
        if (typeof c.value !== "string" || c.value.length > 100_000) continue;
        const url = new URL("http://127.0.0.1/api/migrations");
        url.searchParams.set(param, c.value);
        const res = await GET(new NextRequest(url, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }));
        if (res.status !== 200 && res.status !== 400) bad.push(`${param}=${c.label}: ${res.status}`);
        const body = await res.json();
        if (res.status === 400 && !body.fieldErrors?.[param]) bad.push(`${param}=${c.label}: no field error`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("accepted only values the schemas allow as data, and stored them verbatim", async () => {
    for (const a of accepted) {
      if (a.action === "createWindowAction" && a.field === "name") {
        const w = await db.maintenanceWindow.findUniqueOrThrow({
          where: { id: (a.data as { windowId: string }).windowId },
        });
        expect(w.name).toBe(String(a.value).trim());
      }
      if (a.action === "createUserAction" && a.field === "username") {
        // User names are stored in their NFKC spelling (full-width look-alikes become plain letters).
        expect(await db.user.count({ where: { username: String(a.value).normalize("NFKC").trim() } })).toBe(1);
      }
    }
  });
});

async function exercise(a: ServerAction): Promise<void> {
  const fn = await loadAction(a);
  const calls = callsFor(a.name);
  const sawOk: Call[] = [];
  const problems: string[] = [];
  const checkOne = async (call: Call) => {
    const execsBefore = getSshPool().stats().execs;
    let res: Result;
    try {
      res = (await fn(call.input)) as Result;
    } catch (e) {
      problems.push(`${call.field}=${call.label}: threw ${(e as Error)?.stack ?? String(e)}`);
      return;
    }
    if (res.ok) {
      sawOk.push(call);
      accepted.push({ action: a.name, field: call.field, label: call.label, value: call.value, data: res.data });
      return;
    }
    const where = `${call.field}=${call.label}`;
    if (!CODES.includes(res.code ?? "")) problems.push(`${where}: unknown code ${res.code}`);
    if (typeof res.message !== "string" || res.message.length === 0 || res.message.length > 2_000)
      problems.push(`${where}: bad message length`);
    if (/\n\s+at |prisma|Invalid `|node_modules|ECONN|SELECT |violates/i.test(res.message ?? ""))
      problems.push(`${where}: internal detail in "${res.message?.slice(0, 200)}"`);
    if (res.message === GENERIC_ERROR) problems.push(`${where}: unexpected internal error (see the log above)`);
    if (res.code === "INVALID" && getSshPool().stats().execs !== execsBefore)
      problems.push(`${where}: SSH ran for invalid input`);
  };

  // Batches keep the checksum comparison meaningful: a batch with no accepted call must leave
  // every table but the audit log exactly as it was, and add one audit row per call.
  for (let i = 0; i < calls.length; i += 250) {
    const batch = calls.slice(i, i + 250);
    const okBefore = sawOk.length;
    const sums = await tableChecksums(db, ["AuditLog", "Session", "LoginThrottle"]);
    // An action may audit each call under a name of its input's (the controls: migration.<action>).
    const config = actionConfig(fn);
    const where = { action: { in: [...new Set(batch.map((c) => (config ? auditName(config, c.input) : a.audit)))] } };
    const audits = await db.auditLog.count({ where });
    await runAll(batch, 6, checkOne);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(await db.auditLog.count({ where }), `${a.name}: one audit row per call`).toBe(audits + batch.length);
    if (sawOk.length === okBefore)
      expect(
        await tableChecksums(db, ["AuditLog", "Session", "LoginThrottle"]),
        `${a.name}: rows changed by refused input`,
      ).toEqual(sums);
  }
}
