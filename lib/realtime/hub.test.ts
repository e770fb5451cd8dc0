// The hub's LISTEN connection against the tests' real Postgres: when Postgres drops it, the gap
// reaches subscribers only once LISTEN is back, so whatever they re-read then cannot be outrun by
// an update nobody listened for.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { CHANNEL } from "@/lib/realtime/channels";
import { getHub } from "@/lib/realtime/hub";
import type { LiveUpdate } from "@/lib/schemas/wire";
import { waitFor } from "@/sim/test-support/ssh";

const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
await admin.connect();
afterAll(() => admin.end());

const notify = (u: LiveUpdate | object) =>
  admin.query("SELECT pg_notify($1, $2)", [CHANNEL.migration, JSON.stringify(u)]);
const listenerPids = async () =>
  (
    await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE query ILIKE $1 AND pid <> pg_backend_pid()",
      [`LISTEN ${CHANNEL.migration}%`],
    )
  ).rows.map((r) => r.pid);

describe("live updates hub", () => {
  // First in this file: the hub is a per-process singleton and this is its first subscriber.
  it("a fresh web server's first LISTEN signals a gap: what its streams read before it may have missed updates", async () => {
    const gaps: number[] = [];
    const unsubscribe = getHub().subscribe(
      crypto.randomUUID(),
      () => {},
      async () => {
        gaps.push((await listenerPids()).length);
      },
    );
    try {
      await waitFor(async () => gaps.length === 1, 15_000);
      expect(gaps[0]).toBeGreaterThan(0); // told once LISTEN was in place, not before
    } finally {
      unsubscribe();
    }
  });

  it("tells subscribers of a gap only once it listens again, so an update sent at that moment still arrives", async () => {
    const id = crypto.randomUUID();
    const got: LiveUpdate[] = [];
    const gaps: string[] = [];
    const unsubscribe = getHub().subscribe(
      id,
      (u) => got.push(u),
      () => {
        gaps.push("gap");
        // What a page does on a gap: re-read, then rely on the stream from there on.
        void notify({ kind: "state", migrationId: id, state: "completed" });
      },
    );
    try {
      await waitFor(async () => (await listenerPids()).length > 0, 15_000); // the hub LISTENs
      await notify({ kind: "state", migrationId: id, state: "running" });
      await waitFor(async () => got.length === 1, 15_000);

      // Postgres drops the LISTEN connection (a restart or failover looks like this to the hub).
      for (const pid of await listenerPids()) await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      await waitFor(async () => gaps.length === 1, 15_000);
      await waitFor(async () => got.length === 2, 5_000); // the update sent on the gap arrives
      expect(got.map((u) => (u.kind === "state" ? u.state : u.kind))).toEqual(["running", "completed"]);
      expect(gaps).toEqual(["gap"]);
    } finally {
      unsubscribe();
    }
  });

  it("relays only updates of the wire shape: a payload that is not one is dropped, the next still arrives", async () => {
    const id = crypto.randomUUID();
    const got: LiveUpdate[] = [];
    const unsubscribe = getHub().subscribe(id, (u) => got.push(u));
    try {
      await waitFor(async () => (await listenerPids()).length > 0, 15_000);
      await notify({ kind: "sample", migrationId: id, sample: { at: "yesterday" }, progressPct: 5, verdict: "fine" });
      await notify({ kind: "state", migrationId: id, state: "exploded" });
      await notify({ kind: "state", migrationId: id, state: "running" });
      await waitFor(async () => got.length > 0, 15_000);
      expect(got).toEqual([{ kind: "state", migrationId: id, state: "running" }]);
    } finally {
      unsubscribe();
    }
  });
});
