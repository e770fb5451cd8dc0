// Issue 13, class 4: 100 concurrent anonymous sign-ins must not stall the console. Password
// hashing is bounded (lib/auth/hash-slots.ts): a few run, a short queue waits, the rest are told
// at once to retry. Measured here: /api/health's latency while the flood runs, in the same process
// (same event loop, same libuv thread pool) as the sign-ins, against the real Postgres.
import { afterAll, describe, expect, it, vi } from "vitest";

let n = 0;
vi.mock("next/headers", () => ({
  // Every sign-in from its own address, so throttling does not turn the flood away first.
  headers: async () => new Headers({ "x-forwarded-for": `198.18.${Math.floor(n / 250)}.${n++ % 250}` }),
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {} }),
}));

const { db } = await import("@/lib/db/client");
const { loginAction } = await import("@/lib/actions/auth");
const { GET: health } = await import("@/app/api/health/route");
afterAll(() => db.$disconnect());

async function healthLatencies(until: Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const t0 = performance.now();
    const res = await health();
    expect(res.status).toBe(200);
    out.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  return out;
}

describe("a flood of anonymous sign-ins", () => {
  it("keeps /api/health answering quickly and tells the overflow to retry", async () => {
    await health(); // warm the pool
    const started = performance.now();
    const flood = Promise.all(
      Array.from({ length: 100 }, (_, i) => loginAction({ username: `flood-${i}`, password: "not-the-password" })),
    );
    const latencies = await healthLatencies(flood);
    const results = await flood;
    const floodMs = performance.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    const max = sorted.at(-1) ?? 0;
    console.log(
      `100 sign-ins in ${Math.round(floodMs)} ms; /api/health p95 ${Math.round(p95)} ms, max ${Math.round(max)} ms over ${latencies.length} checks`,
    );

    const codes = results.map((r) => (r.ok ? "ok" : r.code));
    expect(codes.every((c) => c === "UNAUTHENTICATED" || c === "UNAVAILABLE")).toBe(true);
    const busy = results.filter((r) => !r.ok && r.code === "UNAVAILABLE");
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) expect(r.ok ? "" : r.message).toMatch(/busy .*retry/i);
    expect(max).toBeLessThan(1_000);
  });
});
