// The action() wrapper against a real Postgres. Only the cookie lookup is replaced: outside a
// Next request there is no cookie store, so getSession is stubbed to return the caller.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/session";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSession: async () => caller }));

const { action } = await import("@/lib/actions/action");
const { db } = await import("@/lib/db/client");
const { AppError } = await import("@/lib/errors");

const renameInput = z.object({ userId: z.string().uuid(), username: z.string().min(3) });
const renameUserAction = action({ schema: renameInput, role: "admin", audit: "test.rename" }, async ({ input, tx }) =>
  tx(
    async (t) => {
      const before = await t.user.findUniqueOrThrow({ where: { id: input.userId } });
      const after = await t.user.update({ where: { id: input.userId }, data: { username: input.username } });
      if (input.username === "boom-after-write") throw new AppError("CONFLICT", "refused after the write");
      return { before, after };
    },
    ({ before, after }) => ({
      targetType: "user",
      targetId: after.id,
      before: { username: before.username },
      after: { username: after.username },
    }),
  ),
);

async function makeUser(
  role: "viewer" | "operator" | "admin",
  username = `u-${Math.random().toString(36).slice(2, 10)}`,
) {
  const u = await db.user.create({ data: { username, role, passwordHash: "x" } });
  return { id: u.id, username: u.username, role, sessionId: "s" } satisfies SessionUser;
}

const auditFor = (action: string) => db.auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("action()", () => {
  beforeEach(async () => {
    await db.auditLog.deleteMany({ where: { action: "test.rename" } });
  });

  it("refuses a caller without a session and audits the refusal", async () => {
    caller = null;
    const target = await makeUser("viewer");
    const res = await renameUserAction({ userId: target.id, username: "new-name" });
    expect(res).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).username).toBe(target.username);
    const rows = await auditFor("test.rename");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ result: "denied", actorName: "anonymous" });
  });

  it("refuses too low a role before looking at the input", async () => {
    caller = await makeUser("operator");
    const res = await renameUserAction({ userId: "not-a-uuid", username: "" } as never);
    expect(res).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(res.ok ? null : res.fieldErrors).toBeUndefined();
    expect((await auditFor("test.rename"))[0]).toMatchObject({ result: "denied", actorName: caller.username });
  });

  it("returns field errors for invalid input and audits it", async () => {
    caller = await makeUser("admin");
    const res = await renameUserAction({ userId: "nope", username: "x" });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.code).toBe("INVALID");
    expect(Object.keys(res.fieldErrors ?? {}).sort()).toEqual(["userId", "username"]);
    expect((await auditFor("test.rename"))[0]?.result).toBe("invalid");
  });

  it("writes the change and its audit row together", async () => {
    caller = await makeUser("admin");
    const target = await makeUser("viewer");
    const newName = `renamed-${Date.now()}`;
    const res = await renameUserAction({ userId: target.id, username: newName });
    expect(res.ok).toBe(true);
    const rows = await auditFor("test.rename");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      result: "ok",
      actorId: caller.id,
      targetId: target.id,
      before: { username: target.username },
      after: { username: newName },
    });
  });

  it("rolls the change back when the handler fails inside the transaction", async () => {
    caller = await makeUser("admin");
    const target = await makeUser("viewer");
    const res = await renameUserAction({ userId: target.id, username: "boom-after-write" });
    expect(res).toMatchObject({ ok: false, code: "CONFLICT", message: "refused after the write" });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).username).toBe(target.username);
    const rows = await auditFor("test.rename");
    expect(rows.map((r) => r.result)).toEqual(["error"]);
  });

  it("hides unexpected errors from the caller", async () => {
    caller = await makeUser("admin");
    const res = await renameUserAction({ userId: "00000000-0000-4000-8000-000000000000", username: "ghost" });
    expect(res).toMatchObject({ ok: false, code: "REMOTE_ERROR" });
    expect(res.ok ? "" : res.message).not.toMatch(/prisma|record|findUniqueOrThrow/i);
  });
});
