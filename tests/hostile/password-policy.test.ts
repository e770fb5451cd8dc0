// Issue 13, class 4: weak passwords and look-alike user names are refused when a user is created
// (real Postgres, through the server action), and sign-in accepts any spelling of a name that
// normalizes the same.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
  setSessionCookie: async () => {},
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": "192.0.2.20" }) }));

const dropDatabase = await (await import("../support/isolated-db")).useIsolatedDatabase("password_policy");
const { db } = await import("@/lib/db/client");
const { createUserAction } = await import("@/lib/actions/users");
const { loginAction } = await import("@/lib/actions/auth");
const { passwordProblem } = await import("@/lib/auth/password-policy");
const { E2E_USERS } = await import("@/e2e/users");
const { randomBytes } = await import("node:crypto");

const GOOD = "marble-otter-sings-quietly";

beforeAll(async () => {
  const admin = await db.user.create({ data: { username: "policy-admin", role: "admin", passwordHash: "x" } });
  caller = { id: admin.id, username: admin.username, role: "admin", sessionId: "s" };
});
afterAll(async () => {
  await db.$disconnect();
  await dropDatabase();
});

const create = (username: string, password: string) => createUserAction({ username, password, role: "viewer" });

describe("password policy on user creation", () => {
  const weak: [string, string, RegExp][] = [
    ["short", "Tr0ub4dor&3", /at least 12/i],
    ["whitespace only", " ".repeat(16), /only spaces/i],
    ["contains the user name", "xx-Weak-Viewer-2026-xx", /user name/i],
    ["common password", "password1234", /too easy to guess/i],
    ["keyboard row", "qwertyuiopasdf", /too easy to guess/i],
    ["repeated", "aaaaaaaaaaaaaaaa", /too easy to guess/i],
  ];
  for (const [what, password, message] of weak) {
    it(`refuses a ${what} password with a clear message`, async () => {
      const res = await create("weak-viewer", password);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.code).toBe("INVALID");
      expect(res.fieldErrors?.password?.join(" ")).toMatch(message);
      expect(await db.user.count({ where: { username: "weak-viewer" } })).toBe(0);
    });
  }

  it("accepts a long passphrase", async () => {
    expect(await create("strong-viewer", GOOD)).toMatchObject({ ok: true, data: { username: "strong-viewer" } });
  });
});

describe("the seeded passwords meet the policy", () => {
  it("the e2e users' and the demo's generated admin passwords (200 samples) pass", () => {
    for (const u of E2E_USERS) expect(passwordProblem(u.password, u.username), u.username).toBeNull();
    for (let i = 0; i < 200; i++) expect(passwordProblem(randomBytes(12).toString("base64url"), "admin")).toBeNull();
  });
});

describe("user names are unique by their normalized form", () => {
  it("refuses Sec-Viewer next to sec-viewer, admin. next to admin, and full-width look-alikes", async () => {
    expect((await create("sec-viewer", GOOD)).ok).toBe(true);
    expect((await create("admin", GOOD)).ok).toBe(true);
    for (const twin of [
      "Sec-Viewer",
      "SEC-VIEWER",
      "sec-viewer.",
      "admin.",
      ".admin",
      "Admin",
      "ａｄｍｉｎ",
      " admin ",
    ]) {
      const res = await create(twin, GOOD);
      expect(res, twin).toMatchObject({ ok: false, code: expect.stringMatching(/CONFLICT|INVALID/) });
    }
    expect(await db.user.count({ where: { username: { in: ["sec-viewer", "admin"] } } })).toBe(2);
    expect(await db.user.count()).toBe(4); // policy-admin, strong-viewer, sec-viewer, admin
  });

  it("the database itself refuses a twin written past the action", async () => {
    await expect(
      db.user.create({ data: { username: "ADMIN..", role: "viewer", passwordHash: "x" } }),
    ).rejects.toThrow();
  });

  it("signs in with any spelling that normalizes to the same name", async () => {
    for (const spelling of ["Sec-Viewer", "SEC-VIEWER", "sec-viewer.", "ｓｅｃ-ｖｉｅｗｅｒ"]) {
      expect(await loginAction({ username: spelling, password: GOOD }), spelling).toMatchObject({
        ok: true,
        data: { username: "sec-viewer" },
      });
    }
  });
});
