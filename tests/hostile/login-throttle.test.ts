// Issue 13, class 4: sign-in throttling against the real Postgres. An attacker guessing an
// operator's password from one address slows only themselves (progressive delay per user and
// address, then a per-address limit); the operator still signs in from their own address at once.
// The counters live in Postgres, so a second web server (a fresh set of limiters) sees them.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

let forwardedFor = "203.0.113.1";
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": forwardedFor }),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
}));

const dropDatabase = await (await import("../support/isolated-db")).useIsolatedDatabase("login_throttle");
const { db } = await import("@/lib/db/client");
const { hashPassword } = await import("@/lib/auth/password");
const { loginAction } = await import("@/lib/actions/auth");

const PASSWORD = "copper-kettle-wanders-north";
const login = async (username: string, password: string, from: string) => {
  forwardedFor = from;
  return loginAction({ username, password });
};
const code = (r: Awaited<ReturnType<typeof loginAction>>) => (r.ok ? "ok" : r.code);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  for (const u of ["ops-1", "ops-2", "ops-3"])
    await db.user.create({ data: { username: u, role: "operator", passwordHash: await hashPassword(PASSWORD) } });
});
afterAll(async () => {
  await db.$disconnect();
  await dropDatabase();
});

describe("sign-in throttling", () => {
  it("twenty wrong passwords from an attacker do not lock the operator out of their own address", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) codes.push(code(await login("ops-1", `guess-${i}`, "198.51.100.7")));
    expect(codes.slice(0, 4)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"]);
    expect(codes.slice(4)).toContain("RATE_LIMITED");
    // The operator, elsewhere, with the right password: in at once.
    expect(code(await login("ops-1", PASSWORD, "192.0.2.10"))).toBe("ok");
    // The attacker, even with the right password, waits.
    expect(code(await login("ops-1", PASSWORD, "198.51.100.7"))).toBe("RATE_LIMITED");
  });

  it("delays grow with each failure from the same address (2 s, then 4 s) and say how long to wait", async () => {
    const from = "198.51.100.8";
    for (let i = 0; i < 4; i++) expect(code(await login("ops-2", "wrong-one", from))).toBe("UNAUTHENTICATED");
    const limited = await login("ops-2", "wrong-one", from);
    expect(limited).toMatchObject({
      ok: false,
      code: "RATE_LIMITED",
      message: expect.stringMatching(/Wait [12] seconds?/),
    });
    await sleep(2_100);
    expect(code(await login("ops-2", "wrong-two", from))).toBe("UNAUTHENTICATED"); // 5th failure: 4 s now
    await sleep(2_100);
    expect(code(await login("ops-2", PASSWORD, from))).toBe("RATE_LIMITED");
    await sleep(2_000);
    // A success clears this user's counters from this address.
    expect(code(await login("ops-2", PASSWORD, from))).toBe("ok");
    expect(code(await login("ops-2", "wrong-three", from))).toBe("UNAUTHENTICATED");
    expect(code(await login("ops-2", PASSWORD, from))).toBe("ok");
  }, 30_000);

  it("limits one address guessing across many user names, and keeps the counters in Postgres for every web server", async () => {
    const from = "198.51.100.9";
    const codes: string[] = [];
    for (let i = 0; i < 32; i++) codes.push(code(await login(`nobody-${i}`, "x", from)));
    expect(codes.slice(0, 30).every((c) => c === "UNAUTHENTICATED")).toBe(true);
    expect(codes.at(-1)).toBe("RATE_LIMITED");

    // Another web server: its own limiters, same table.
    (globalThis as { convoyLoginLimiters?: unknown }).convoyLoginLimiters = undefined;
    expect(code(await login("ops-3", PASSWORD, from))).toBe("RATE_LIMITED");
    expect(code(await login("ops-3", PASSWORD, "192.0.2.11"))).toBe("ok");
    const rows = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "LoginThrottle"`;
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});
