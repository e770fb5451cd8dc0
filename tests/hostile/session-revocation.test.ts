// Issue 13, class 5: an open SSE stream (GET /api/migrations/:id/events) must not outlive its
// session. Real Postgres, the real route handler and the real hub: the stream closes within a
// second or two when the session is revoked (logout, sign out everywhere, disable, password
// change — through pg_notify), and within the periodic re-check when it merely expires.
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }) }));

const { db } = await import("@/lib/db/client");
const { createSession, SESSION_COOKIE } = await import("@/lib/auth/session");
const { hashPassword } = await import("@/lib/auth/password");
const { GET } = await import("@/app/api/migrations/[id]/events/route");
const { logoutAction, signOutEverywhereAction, changePasswordAction } = await import("@/lib/actions/auth");
const { setUserDisabledAction, revokeUserSessionsAction } = await import("@/lib/actions/users");

const PASSWORD = "walnut-harbor-drifts-slowly";
let migrationId = "";
let adminUser: SessionUser;

beforeAll(async () => {
  const host = (name: string) =>
    db.host.create({
      data: {
        name: `${name}-${randomUUID().slice(0, 6)}`,
        address: "127.0.0.1",
        sshUser: "root",
        privateKeyEnc: "x",
        status: "active",
        hostKeyFingerprint: "SHA256:x",
      },
    });
  const [hv1, hv2] = await Promise.all([host("rev-hv1"), host("rev-hv2")]);
  const m = await db.liveMigration.create({
    data: {
      vmUuid: randomUUID(),
      vmName: "rev-vm",
      sourceHostId: hv1.id,
      destHostId: hv2.id,
      options: {},
      memoryBytes: BigInt(2 ** 30),
      vcpus: 1,
      state: "running",
      startedAt: new Date(),
    },
  });
  migrationId = m.id;
  adminUser = await makeUser("admin").then((u) => u.user);
});
afterAll(() => db.$disconnect());

async function makeUser(role: "viewer" | "admin" = "viewer") {
  const u = await db.user.create({
    data: { username: `rev-${randomUUID().slice(0, 8)}`, role, passwordHash: await hashPassword(PASSWORD) },
  });
  const session = async () => {
    const { token } = await createSession(u.id);
    const s = await db.session.findFirstOrThrow({ where: { userId: u.id }, orderBy: { createdAt: "desc" } });
    return { token, user: { id: u.id, username: u.username, role, sessionId: s.id } satisfies SessionUser };
  };
  return { ...(await session()), another: session };
}

/** Opens the stream as `token`; `closed` resolves with the ms from `mark()` to the end of the body. */
async function openStream(token: string) {
  const res = await GET(
    new NextRequest(`http://127.0.0.1:3000/api/migrations/${migrationId}/events`, {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    }),
    {
      params: Promise.resolve({ id: migrationId }),
    },
  );
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let markedAt = 0;
  const closed = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Date.now() - markedAt;
      text += decoder.decode(value);
    }
  })();
  const timeout = (ms: number) => new Promise<"open">((r) => setTimeout(() => r("open"), ms));
  await expect.poll(() => text.includes("event: snapshot")).toBe(true);
  return {
    mark: () => {
      markedAt = Date.now();
    },
    closedWithin: (ms: number) => Promise.race([closed, timeout(ms)]),
    text: () => text,
    cancel: () => reader.cancel().catch(() => {}),
  };
}

describe("SSE streams end with their session", () => {
  it("logout closes the stream of that session at once, not the user's other sessions", async () => {
    const a = await makeUser();
    const b = await a.another();
    const streamA = await openStream(a.token);
    const streamB = await openStream(b.token);
    caller = a.user;
    streamA.mark();
    expect((await logoutAction({})).ok).toBe(true);
    const ms = await streamA.closedWithin(5_000);
    expect(ms).not.toBe("open");
    expect(ms).toBeLessThan(3_000);
    expect(streamA.text()).toContain("event: revoked");
    expect(await streamB.closedWithin(1_500)).toBe("open");
    await streamB.cancel();
  });

  it("sign out everywhere closes every stream of the user", async () => {
    const a = await makeUser();
    const b = await a.another();
    const streams = [await openStream(a.token), await openStream(b.token)];
    caller = a.user;
    for (const s of streams) s.mark();
    expect(await signOutEverywhereAction({})).toMatchObject({ ok: true, data: { sessionsEnded: 2 } });
    for (const s of streams) expect(await s.closedWithin(5_000)).toBeLessThan(3_000);
    expect(await db.session.count({ where: { userId: a.user.id } })).toBe(0);
  });

  it("an admin disabling a user, or revoking their sessions, closes their streams; both are audited", async () => {
    const victim = await makeUser();
    const stream = await openStream(victim.token);
    caller = adminUser;
    stream.mark();
    expect(await setUserDisabledAction({ userId: victim.user.id, disabled: true })).toMatchObject({
      ok: true,
      data: { sessionsEnded: 1 },
    });
    expect(await stream.closedWithin(5_000)).toBeLessThan(3_000);

    const other = await makeUser();
    const s2 = await openStream(other.token);
    s2.mark();
    expect(await revokeUserSessionsAction({ userId: other.user.id })).toMatchObject({
      ok: true,
      data: { sessionsEnded: 1 },
    });
    expect(await s2.closedWithin(5_000)).toBeLessThan(3_000);
    const audit = await db.auditLog.findMany({
      where: { targetId: { in: [victim.user.id, other.user.id] }, result: "ok" },
      select: { action: true, actorName: true },
    });
    expect(audit.map((r) => r.action).sort()).toEqual(["user.revoke-sessions", "user.set-disabled"]);
    expect(audit.every((r) => r.actorName === adminUser.username)).toBe(true);
  });

  it("a password change closes the user's other streams and keeps the one that changed it", async () => {
    const a = await makeUser();
    const b = await a.another();
    const here = await openStream(b.token);
    const elsewhere = await openStream(a.token);
    caller = b.user;
    // A weak new password is refused and ends nothing.
    expect(await changePasswordAction({ currentPassword: PASSWORD, newPassword: "password1234" })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    expect(
      await changePasswordAction({ currentPassword: "wrong-current-pass", newPassword: "ivory-compass-tilts-east" }),
    ).toMatchObject({ ok: false, code: "INVALID" });
    elsewhere.mark();
    expect(
      await changePasswordAction({ currentPassword: PASSWORD, newPassword: "ivory-compass-tilts-east" }),
    ).toMatchObject({ ok: true, data: { otherSessionsEnded: 1 } });
    expect(await elsewhere.closedWithin(5_000)).toBeLessThan(3_000);
    expect(await here.closedWithin(1_500)).toBe("open");
    await here.cancel();
  });

  it("a session that lapses without any notification is noticed by the periodic re-check (≤ 15 s)", async () => {
    const a = await makeUser();
    const stream = await openStream(a.token);
    stream.mark();
    await db.session.update({ where: { id: a.user.sessionId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const ms = await stream.closedWithin(16_000);
    expect(ms).not.toBe("open");
    expect(ms).toBeLessThanOrEqual(15_000);
  }, 25_000);
});
