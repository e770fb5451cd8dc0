// Control-plane faults (issue 7), against a real Postgres and the simulated fleet over real SSH,
// with the worker's real MigrationLoop: a worker crash during 20 migrations, a Postgres outage
// while they run, libvirtd restarting / a host dying / SSH refused mid-migration, a host that
// accepts TCP and never answers, and two operators (and double clicks) on one migration.
// Its own database (the workers' claims are global), cut off by terminating its connections and
// refusing new ones — what a restarting Postgres looks like from Convoy's side.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { RunningFleet } from "@/sim/fleet";
import { useIsolatedDatabase } from "../support/isolated-db";

/** Idempotency keys (the UI sends one uuid per click). */
const KEY_ABORT_A = randomUUID();
const KEY_ABORT_B = randomUUID();
const KEY_CLEANUP_ABORT = randomUUID();
const KEY_CLICK_A_1 = randomUUID();
const KEY_OUTAGE_CLICK_1 = randomUUID();
const DB_NAME = `convoy_faults_${process.pid}`;
const admin = new URL(process.env.DATABASE_URL ?? "");
await useIsolatedDatabase("convoy_faults");
// A hung host is given up on in 5 s (handshake 3 s) instead of 15 s; busy hosts still answer in time.
process.env.CONVOY_SSH_TIMEOUT_MS = "5000";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({
  SESSION_COOKIE: "convoy_session",
  getSession: async () => caller,
  userForToken: async () => caller,
}));

const { db } = await import("@/lib/db/client");
const { getSshTarget } = await import("@/lib/db/hosts");
const { getSshPool } = await import("@/lib/ssh/pool");
const { MigrationLoop } = await import("@/lib/worker/migration-loop");
const { refreshInventoryOnce } = await import("@/lib/worker/inventory-refresh");
const { controlMigrationAction } = await import("@/lib/actions/migrations");
const { loadFleetFile } = await import("@/sim/fleet-file");
const { registerFleetHosts, startTestFleet, withFault } = await import("../support/sim-fleet");
const { queueMigration, tickUntil } = await import("../support/migrations");
const { parseDomJobInfo } = await import("@/lib/virsh/parse-domjobinfo");

let fleet: RunningFleet;
let hostIds = new Map<string, string>();
const operatorA: SessionUser = { id: "", username: "alice", role: "operator", sessionId: "sa" };
const operatorB: SessionUser = { id: "", username: "bob", role: "operator", sessionId: "sb" };

beforeAll(async () => {
  fleet = await startTestFleet(loadFleetFile("sim/fleets/faults.yaml"), 10);
  hostIds = await registerFleetHosts(fleet, { inventory: true });
  for (const u of [operatorA, operatorB])
    u.id = (await db.user.create({ data: { username: u.username, passwordHash: "x", role: "operator" } })).id;
}, 120_000);

afterAll(async () => {
  await getSshPool().closeAll();
  await fleet?.stop();
  await db.$disconnect();
});

async function enqueue(vmName: string, dest: string, bandwidthMiB: number): Promise<string> {
  const vm = await db.vm.findFirstOrThrow({ where: { name: vmName, state: "running" } });
  return queueMigration(vm, hostIds.get(dest) ?? "", { options: { bandwidthMiB } });
}

/** Ticks `loop` (as the worker does, once a second at most) until `done`, or fails after `ms`. */
const until = (done: () => Promise<boolean>, ms: number, tick: () => Promise<void>) =>
  tickUntil(done, { ms, tick, everyMs: 250, ignoreTickErrors: true });

const states = async (ids: string[]) =>
  (await db.liveMigration.findMany({ where: { id: { in: ids } }, select: { state: true } })).map((m) => m.state);
const allIn = (ids: string[], wanted: string[]) => async () => (await states(ids)).every((s) => wanted.includes(s));
const samplesOf = (id: string) => db.migrationSample.count({ where: { migrationId: id } });

/** What the destination's libvirt says about the finished job (the simulator's truth). */
async function completedOnDest(vm: string, dest: string) {
  const target = await getSshTarget(hostIds.get(dest) ?? "");
  if (!target) throw new Error("no target");
  const r = await getSshPool().exec(target, [
    "virsh",
    "-c",
    "qemu:///system",
    "domjobinfo",
    vm,
    "--completed",
    "--keep-completed",
    "--rawstats",
  ]);
  return parseDomJobInfo(r.stdout);
}

describe("a worker dies during 20 migrations", () => {
  it("another worker adopts every one once the leases lapse, and every outcome and completed-job statistic is recorded", async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 20; i++)
      ids.push(await enqueue(`vm${String(i).padStart(2, "0")}`, i <= 12 ? "hv3" : "hv4", 16));
    const a = new MigrationLoop("worker-a");
    await until(
      async () => (await Promise.all(ids.map(samplesOf))).every((n) => n >= 1),
      60_000,
      () => a.tick(),
    );
    expect(await states(ids)).toEqual(ids.map(() => "running"));

    // kill -9: worker-a stops without releasing anything. worker-b starts at once and waits for the leases.
    const killedAt = Date.now();
    const b = new MigrationLoop("worker-b");
    const adoptedAt = new Map<string, number>();
    await until(
      async () => {
        const rows = await db.liveMigration.findMany({
          where: { id: { in: ids } },
          select: { id: true, ownerId: true, state: true },
        });
        for (const r of rows)
          if ((r.ownerId === "worker-b" || r.state === "completed") && !adoptedAt.has(r.id))
            adoptedAt.set(r.id, Date.now());
        return adoptedAt.size === ids.length;
      },
      60_000,
      () => b.tick(),
    );
    const adoption = [...adoptedAt.values()].map((t) => (t - killedAt) / 1000);
    process.stdout.write(
      `[faults] 20 migrations adopted by a new worker within ${Math.max(...adoption).toFixed(1)} s of the crash (lease 5 s)\n`,
    );

    await until(allIn(ids, ["completed"]), 180_000, () => b.tick());
    for (const [i, id] of ids.entries()) {
      const m = await db.liveMigration.findUniqueOrThrow({ where: { id } });
      const truth = await completedOnDest(m.vmName, i < 12 ? "hv3" : "hv4");
      expect(m.ownerId).toBeNull();
      expect(m.downtimeMs).toBe(truth.downtimeMs);
      expect(m.totalTimeMs).toBe(truth.timeElapsedMs);
      expect(m.dataProcessedBytes).toBe(
        truth.dataProcessedBytes === undefined ? null : BigInt(truth.dataProcessedBytes),
      );
    }
  }, 300_000);
});

/** Cuts the test database off: every connection terminated, new ones refused (a restarting Postgres). */
async function databaseOutage<T>(during: () => Promise<T>): Promise<T> {
  const superuser = new pg.Client({ connectionString: admin.toString() });
  await superuser.connect();
  try {
    await superuser.query(`ALTER DATABASE "${DB_NAME}" ALLOW_CONNECTIONS false`);
    await superuser.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [DB_NAME],
    );
    return await during();
  } finally {
    await superuser.query(`ALTER DATABASE "${DB_NAME}" ALLOW_CONNECTIONS true`);
    await superuser.end();
  }
}

describe("Postgres goes away while migrations run", () => {
  it("the worker keeps sampling into memory and stores the samples once Postgres is back; an operator's click gets a clear error", async () => {
    const id = await enqueue("vm21", "hv3", 4);
    const w = new MigrationLoop("worker-c");
    await until(
      async () => (await samplesOf(id)) >= 2,
      60_000,
      () => w.tick(),
    );
    const before = await samplesOf(id);
    const outageStart = new Date();

    const { ticksDuringOutage, clicked } = await databaseOutage(async () => {
      let n = 0;
      for (; n < 6; n++) {
        await w.tick(); // must not throw: it holds vm21, so it samples into memory
        await new Promise((r) => setTimeout(r, 500));
      }
      caller = operatorA;
      const clicked = await controlMigrationAction({
        action: "set-max-downtime",
        migrationId: id,
        idempotencyKey: KEY_OUTAGE_CLICK_1,
        ms: 500,
      });
      return { ticksDuringOutage: n, clicked };
    });
    expect(clicked).toMatchObject({ ok: false, code: "UNAVAILABLE" });
    expect(clicked.ok ? "" : clicked.message).toMatch(/database is unreachable/);

    await until(
      async () => (await db.migrationEvent.count({ where: { migrationId: id, type: "samples-buffered" } })) === 1,
      30_000,
      () => w.tick(),
    );
    const during = await db.migrationSample.count({ where: { migrationId: id, at: { gte: outageStart } } });
    expect(during).toBeGreaterThanOrEqual(ticksDuringOutage); // one per tick while Postgres was away, stored late
    expect(await samplesOf(id)).toBeGreaterThan(before + ticksDuringOutage - 1);
    const ev = await db.migrationEvent.findFirstOrThrow({ where: { migrationId: id, type: "samples-buffered" } });
    expect(ev.message).toMatch(/database was unreachable for \d+ s: \d+ samples kept by the worker and stored late/);
    // The click during the outage was not applied later behind the operator's back.
    expect(
      await db.migrationEvent.count({ where: { migrationId: id, type: { startsWith: "set-max-downtime" } } }),
    ).toBe(0);
    expect(
      ((await db.liveMigration.findUniqueOrThrow({ where: { id } })).options as { maxDowntimeMs: number })
        .maxDowntimeMs,
    ).toBe(300);

    caller = operatorA;
    expect(
      await controlMigrationAction({ action: "abort", migrationId: id, idempotencyKey: KEY_CLEANUP_ABORT }),
    ).toMatchObject({ ok: true });
    await until(allIn([id], ["cancelled"]), 60_000, () => w.tick());
  }, 180_000);
});

describe("hypervisor faults mid-migration: the real fate is recorded and nothing hangs", () => {
  it("libvirtd restarting on the source cancels the job: recorded as failed with the reason, the guest still runs on the source", async () => {
    const id = await enqueue("vm22", "hv4", 4);
    const w = new MigrationLoop("worker-d");
    await until(
      async () => (await samplesOf(id)) >= 1,
      60_000,
      () => w.tick(),
    );
    await fleet.control.setFault("hv2", "libvirtd-restart");
    await until(allIn([id], ["failed", "cancelled", "lost"]), 60_000, () => w.tick());
    const m = await db.liveMigration.findUniqueOrThrow({ where: { id } });
    expect(m.state).toBe("failed");
    expect(m.error).toBeTruthy();
    expect(fleet.state.host("hv2")?.domains.get("vm22")?.status.state).toBe("running");
    expect(await db.reservation.count({ where: { migrationId: id } })).toBe(0);
  }, 120_000);

  it("the destination dying fails the migration with libvirt's error; the guest stays on the source", async () => {
    const id = await enqueue("vm23", "hv4", 4);
    const w = new MigrationLoop("worker-e");
    await until(
      async () => (await samplesOf(id)) >= 1,
      60_000,
      () => w.tick(),
    );
    await withFault(fleet, "hv4", "down", async () => {
      await until(allIn([id], ["failed", "cancelled", "lost"]), 60_000, () => w.tick());
    });
    const m = await db.liveMigration.findUniqueOrThrow({ where: { id } });
    expect(m.state).toBe("failed");
    expect(m.error).toMatch(/Connection reset by peer/);
    expect(fleet.state.host("hv2")?.domains.get("vm23")?.status.state).toBe("running");
  }, 120_000);

  it("SSH to the source refused for a while: the job goes on on the hosts, Convoy says so and picks it up again", async () => {
    const id = await enqueue("vm24", "hv4", 16);
    const w = new MigrationLoop("worker-f");
    await until(
      async () => (await samplesOf(id)) >= 1,
      60_000,
      () => w.tick(),
    );
    await getSshPool().closeAll(); // the pooled connection drops with sshd
    await fleet.control.setFault("hv2", "ssh-refused");
    for (let i = 0; i < 4; i++) await w.tick().catch(() => undefined);
    await fleet.control.setFault("hv2", "ssh-refused", false);
    await until(allIn([id], ["completed", "failed", "lost", "cancelled"]), 120_000, () => w.tick());
    expect(await states([id])).toEqual(["completed"]);
    const types = (await db.migrationEvent.findMany({ where: { migrationId: id }, select: { type: true } })).map(
      (e) => e.type,
    );
    expect(types).toContain("source-unreachable");
  }, 180_000);
});

describe("a hypervisor that accepts TCP and never answers", () => {
  it("times out with a clear error while the rest of the fleet refreshes on time", async () => {
    await withFault(fleet, "hv3", "hang", async () => {
      await db.host.updateMany({ data: { lastCheckedAt: null } });
      const started = Date.now();
      await refreshInventoryOnce();
      const took = Date.now() - started;
      const hosts = await db.host.findMany({
        select: { name: true, lastErrorKind: true, lastError: true, reachable: true, lastSeenAt: true },
      });
      const hung = hosts.find((h) => h.name === "hv3");
      // No SSH banner: the handshake times out (Convoy files it under "unreachable", code HANDSHAKE_TIMEOUT).
      expect(hung?.lastErrorKind).toBe("unreachable");
      expect(hung?.lastError).toMatch(/did not complete the SSH handshake in time/);
      expect(hung?.reachable).toBe(false);
      for (const h of hosts.filter((x) => x.name !== "hv3")) {
        expect(h.reachable).toBe(true);
        expect(h.lastSeenAt?.getTime()).toBeGreaterThanOrEqual(started);
      }
      expect(took).toBeLessThan(30_000); // bounded by the SSH timeout, not hung
      expect(getSshPool().stats().connections).toBeLessThanOrEqual(fleet.hosts.length);
    });
  }, 90_000);
});

describe("a source host that stops answering mid-migration", () => {
  it("does not slow the sampling of the other migrations; its own outcome is recorded once it answers again", async () => {
    const stuck = await enqueue("vm25", "hv3", 8);
    const healthy = await enqueue("vm26", "hv4", 8);
    const w = new MigrationLoop("worker-h");
    await until(
      async () => (await samplesOf(stuck)) >= 1 && (await samplesOf(healthy)) >= 1,
      60_000,
      () => w.tick(),
    );
    await fleet.control.setFault("hv1", "hang");
    const stuckBefore = await samplesOf(stuck);
    const healthyBefore = await samplesOf(healthy);
    try {
      // Six ticks while hv1's reads hang (each until its 10 s SSH timeout): a tick that waited for
      // them would take those 10 s; a tick waits 1 s for its reads and the healthy one answers.
      const took: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = Date.now();
        await w.tick();
        took.push(Date.now() - t0);
      }
      expect(Math.max(...took)).toBeLessThan(5_000);
      expect(await samplesOf(stuck)).toBe(stuckBefore);
      expect((await samplesOf(healthy)) - healthyBefore).toBeGreaterThanOrEqual(5);
    } finally {
      await fleet.control.setFault("hv1", "hang", false);
    }
    await until(allIn([stuck, healthy], ["completed", "failed", "lost", "cancelled"]), 120_000, () => w.tick());
    // The job went on on the hosts while hv1 hung; once it answers, its outcome is recorded.
    expect(await states([stuck, healthy])).toEqual(["completed", "completed"]);
  }, 180_000);
});

describe("two operators and double clicks on one migration", () => {
  it("each action is applied once; the second operator is told what the first one did", async () => {
    const id = await enqueue("vm21", "hv3", 2);
    const w = new MigrationLoop("worker-g");
    await until(
      async () => (await samplesOf(id)) >= 1,
      60_000,
      () => w.tick(),
    );

    // A double click: the same idempotency key twice at once.
    caller = operatorA;
    const [c1, c2] = await Promise.all([
      controlMigrationAction({ action: "set-max-downtime", migrationId: id, idempotencyKey: KEY_CLICK_A_1, ms: 800 }),
      controlMigrationAction({ action: "set-max-downtime", migrationId: id, idempotencyKey: KEY_CLICK_A_1, ms: 800 }),
    ]);
    expect([c1.ok, c2.ok]).toEqual([true, true]);
    expect(await db.migrationEvent.count({ where: { migrationId: id, type: "set-max-downtime-requested" } })).toBe(1);

    // Two operators abort at once, each with their own key: one abort reaches libvirt.
    caller = operatorA;
    const abortA = controlMigrationAction({ action: "abort", migrationId: id, idempotencyKey: KEY_ABORT_A });
    caller = operatorB;
    const abortB = controlMigrationAction({ action: "abort", migrationId: id, idempotencyKey: KEY_ABORT_B });
    const results = await Promise.all([abortA, abortB]);
    expect(results.every((r) => r.ok)).toBe(true);
    await until(allIn([id], ["cancelled"]), 60_000, () => w.tick());
    const aborts = await db.migrationEvent.findMany({
      where: { migrationId: id, type: { in: ["abort", "abort-requested"] } },
      orderBy: { at: "asc" },
    });
    expect(aborts.filter((e) => e.type === "abort-requested")).toHaveLength(2);
    const messages = results.map((r) => (r.ok ? JSON.stringify(r.data) : r.message)).join(" | ");
    expect(messages).toMatch(/No job was running any more|Abort requested/);
    expect(fleet.state.host("hv2")?.domains.get("vm21")?.status.state).toBe("running");
  }, 120_000);
});
