// Outcomes come from this attempt's own evidence on both hosts (issue 14): a failed migrate is
// never "completed" even when an older job's completed statistics are still on the hosts;
// post-copy is its own phase with the source's real figures; after any failure Convoy records
// where the guest is and keeps asking while it is not settled; a source answering garbage is
// settled instead of "running" forever; the relaunch of "restart with auto-converge" commits with
// its cancel. Simulated fleet over real SSH, real Postgres, the worker's real MigrationLoop.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { RunningFleet } from "@/sim/fleet";
import { useIsolatedDatabase } from "../support/isolated-db";

await useIsolatedDatabase("convoy_outcomes");
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
const { evaluateAlerts } = await import("@/lib/alerts/outbox");
const { controlMigrationAction } = await import("@/lib/actions/migrations");
const { loadFleetFile } = await import("@/sim/fleet-file");
const { registerFleetHosts, startTestFleet, withFault } = await import("../support/sim-fleet");
const { queueMigration, tickUntil } = await import("../support/migrations");
const { parseDomJobInfo } = await import("@/lib/virsh/parse-domjobinfo");
const { plannedSwitch } = await import("@/lib/evacuation/planned-switch");

let fleet: RunningFleet;
let hostIds = new Map<string, string>();
const operator: SessionUser = { id: "", username: "olga", role: "operator", sessionId: "so" };
const w = new MigrationLoop("worker-outcomes");

beforeAll(async () => {
  fleet = await startTestFleet(loadFleetFile("sim/fleets/faults.yaml"), 10);
  hostIds = await registerFleetHosts(fleet, { inventory: true });
  operator.id = (
    await db.user.create({ data: { username: operator.username, passwordHash: "x", role: "operator" } })
  ).id;
}, 120_000);

afterAll(async () => {
  await getSshPool().closeAll();
  await fleet?.stop();
  await db.$disconnect();
});

/** Queues vm → dest from wherever the simulator has it running now. */
async function enqueue(vmName: string, dest: string, over: Record<string, unknown> = {}): Promise<string> {
  const from = fleet.state.hosts.find((h) => h.domains.get(vmName)?.status.state === "running")?.name ?? "";
  const vm = await db.vm.findFirstOrThrow({ where: { name: vmName } });
  return queueMigration(vm, hostIds.get(dest) ?? "", { sourceHostId: hostIds.get(from) ?? "", options: over });
}

const until = (done: () => Promise<boolean>, ms: number) =>
  tickUntil(done, { ms, tick: () => w.tick(), everyMs: 250, ignoreTickErrors: true });

const ENDED = ["completed", "failed", "cancelled", "lost"];
const row = (id: string) => db.liveMigration.findUniqueOrThrow({ where: { id } });
const ended = (ids: string[]) => async () =>
  (await db.liveMigration.findMany({ where: { id: { in: ids } } })).every((m) => ENDED.includes(m.state));
const sampled = (id: string) => async () => (await db.migrationSample.count({ where: { migrationId: id } })) >= 1;
const runsOn = (vm: string) =>
  fleet.state.hosts.filter((h) => h.domains.get(vm)?.status.state === "running").map((h) => h.name);

async function completedRecord(host: string, vm: string) {
  const target = await getSshTarget(hostIds.get(host) ?? "");
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

async function moveAndLand(vm: string, dest: string): Promise<void> {
  const id = await enqueue(vm, dest);
  await until(ended([id]), 60_000);
  expect((await row(id)).state).toBe("completed");
}

describe("a landing is proven from this attempt, on both hosts", () => {
  it("a VM migrated back and forth, with a failure in between: the failed attempt is failed, the guest on the source, no figures", async () => {
    await moveAndLand("vm01", "hv3");
    await moveAndLand("vm01", "hv1");
    // hv1 still holds the completed record of the incoming move; the next attempt cannot connect.
    expect((await completedRecord("hv1", "vm01")).type).toBe("completed");
    const failed = await withFault(fleet, "hv1", "link-drop", async () => {
      const id = await enqueue("vm01", "hv3");
      await until(ended([id]), 60_000);
      return id;
    });
    const m = await row(failed);
    expect(m.state).toBe("failed");
    expect(m.error).toMatch(/Failed to connect to remote libvirt URI qemu\+ssh:\/\/hv3/);
    expect([m.downtimeMs, m.totalTimeMs, m.dataProcessedBytes]).toEqual([null, null, null]);
    expect([m.guestLocation, m.guestLocationHost, m.guestLocationSettled]).toEqual(["source", "hv1", true]);
    expect(runsOn("vm01")).toEqual(["hv1"]);

    // And the next attempt lands, with its own figures (the source's Outgoing record).
    const ok = await enqueue("vm01", "hv3", { undefineSource: false });
    await until(ended([ok]), 60_000);
    const landed = await row(ok);
    const truth = await completedRecord("hv1", "vm01");
    expect(landed.state).toBe("completed");
    expect(truth.operation).toBe("migration-out");
    expect(landed.downtimeMs).toBe(truth.downtimeMs);
    expect(landed.totalTimeMs).toBe(truth.timeElapsedMs);
    expect([landed.guestLocation, landed.guestLocationHost]).toEqual(["destination", "hv3"]);
  }, 240_000);

  it("the link is down for a whole batch of 8 moves: all 8 failed, none completed, every guest still on its source", async () => {
    const vms = ["vm02", "vm03", "vm04", "vm05", "vm06", "vm07", "vm08", "vm09"];
    for (const vm of vms) await moveAndLand(vm, "hv4");
    for (const vm of vms) await moveAndLand(vm, "hv1"); // back: each now has an older completed record on hv1
    await withFault(fleet, "hv1", "link-drop", async () => {
      const ids: string[] = [];
      for (const vm of vms) ids.push(await enqueue(vm, "hv4"));
      await until(ended(ids), 90_000);
      const rows = await db.liveMigration.findMany({ where: { id: { in: ids } } });
      expect(rows.map((r) => r.state)).toEqual(vms.map(() => "failed"));
      expect(rows.map((r) => r.guestLocation)).toEqual(vms.map(() => "source"));
      expect(await db.migrationEvent.count({ where: { migrationId: { in: ids }, type: "completed" } })).toBe(0);
    });
    for (const vm of vms) expect(runsOn(vm)).toEqual(["hv1"]);
  }, 300_000);
});

describe("where the guest is after a failure", () => {
  it("the source's libvirtd killed mid-migration: failed at once, 'unknown' and alerted while hv1 cannot be asked, then 'running on hv1' once it is back", async () => {
    const id = await enqueue("vm10", "hv4", { bandwidthMiB: 4 });
    await until(sampled(id), 60_000);
    await withFault(fleet, "hv1", "libvirtd-down", async () => {
      await until(ended([id]), 60_000);
      const m = await row(id);
      expect(m.state).toBe("failed");
      expect(m.error).toMatch(/End of file while reading data/);
      expect([m.guestLocation, m.guestLocationHost, m.guestLocationSettled]).toEqual(["unknown", "hv1", false]);
      expect(m.guestLocationDetail).toMatch(/hv1: no answer .*Failed to connect socket.*; hv4: paused \(migrating\)/);
      await evaluateAlerts({
        targets: [{ url: "http://127.0.0.1:9/hook", format: "generic", events: ["failed"] }],
        publicUrl: "http://convoy",
      });
      const alert = await db.alertDelivery.findFirstOrThrow({
        where: { migrationId: id, key: { startsWith: `failed:location:${id}` } },
      });
      expect(JSON.stringify(alert.payload)).toMatch(/Where is vm10\? .*unknown: hv1 cannot be asked/);
    });
    // The worker keeps asking; once hv1 answers the guest runs there and the paused copy is gone.
    await until(async () => (await row(id)).guestLocationSettled === true, 30_000);
    expect(await row(id)).toMatchObject({ guestLocation: "source", guestLocationHost: "hv1" });
    const story = await db.migrationEvent.findMany({ where: { migrationId: id, type: "guest-location" } });
    expect(story.at(-1)?.message).toMatch(/running on hv1 \(hv1: running \(booted\); hv4: not defined\)/);
  }, 180_000);

  it("the destination dies: failed, the guest runs on the source (the dead host does not block the answer)", async () => {
    const id = await enqueue("vm11", "hv4", { bandwidthMiB: 4 });
    await until(sampled(id), 60_000);
    await withFault(fleet, "hv4", "down", async () => {
      await until(ended([id]), 60_000);
    });
    expect(await row(id)).toMatchObject({
      state: "failed",
      guestLocation: "source",
      guestLocationHost: "hv1",
      guestLocationSettled: true,
    });
  }, 120_000);

  it("the migration link drops mid-copy: failed, the guest runs on the source", async () => {
    const id = await enqueue("vm12", "hv3", { bandwidthMiB: 4 });
    await until(sampled(id), 60_000);
    await withFault(fleet, "hv1", "link-drop", async () => {
      await until(ended([id]), 60_000);
    });
    expect(await row(id)).toMatchObject({ state: "failed", guestLocation: "source", guestLocationHost: "hv1" });
  }, 120_000);
});

describe("a source that answers domjobinfo with garbage", () => {
  it("is settled from both hosts after 10 unreadable answers instead of staying 'running'", async () => {
    const id = await enqueue("vm13", "hv4", { bandwidthMiB: 4 });
    await until(sampled(id), 60_000);
    fleet.control.setOutput("hv2", "domjobinfo", { text: "\u0000\u0007garbage ☃\n" });
    try {
      await until(ended([id]), 60_000);
    } finally {
      fleet.control.setOutput("hv2", "domjobinfo", null);
    }
    const m = await row(id);
    expect(m.state).toBe("lost");
    expect(m.error).toMatch(/hv2 answered domjobinfo with output Convoy cannot read \d+ times in \d+ s/);
    expect(m.guestLocation).toBe("source"); // domstate still answers: the pre-copy guest runs there
    expect(await db.migrationEvent.count({ where: { migrationId: id, type: "job-unreadable" } })).toBe(1);
  }, 120_000);
});

describe("post-copy is a phase of its own", () => {
  it("after 'switch to post-copy' the state is postcopy with its own verdict, and the outcome has the source's real figures", async () => {
    const id = await enqueue("vm14", "hv3", { bandwidthMiB: 4, postcopy: true, undefineSource: false });
    await until(sampled(id), 60_000);
    const target = await getSshTarget(hostIds.get("hv2") ?? "");
    if (!target) throw new Error("no target");
    // Slow post-copy so the phase is sampled (the lab used --postcopy-bandwidth 4 for the same reason).
    await getSshPool().exec(target, ["virsh", "-c", "qemu:///system", "migrate-setspeed", "vm14", "8", "--postcopy"]);
    caller = operator;
    expect(
      await controlMigrationAction({ action: "switch-to-postcopy", migrationId: id, idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: true });
    await until(
      async () =>
        (await row(id)).state === "postcopy" &&
        ((await row(id)).verdict as { verdict?: string } | null)?.verdict === "postcopy",
      30_000,
    );
    expect(((await row(id)).verdict as { reason: string }).reason).toMatch(/^Running on hv3, pulling the rest/);
    await until(ended([id]), 120_000);
    const m = await row(id);
    const truth = await completedRecord("hv2", "vm14");
    expect(m.state).toBe("completed");
    expect(truth.operation).toBe("migration-out");
    expect((await completedRecord("hv3", "vm14")).type).toBe("none"); // the destination keeps none after post-copy
    expect(m.downtimeMs).toBe(truth.downtimeMs);
    expect(m.totalTimeMs).toBe(truth.timeElapsedMs);
    expect(m.dataProcessedBytes).toBe(BigInt(truth.dataProcessedBytes ?? -1));
    expect(Number(m.postcopyBytes)).toBeGreaterThan(0);
    expect(Number(m.postcopyBytes)).toBeLessThan(Number(m.dataProcessedBytes));
  }, 180_000);
});

describe("post-copy with --undefinesource (Convoy's default)", () => {
  it("no host keeps completed statistics; the figures come from the source's job-completed event", async () => {
    const events: { host: string; domain: string; stats: Record<string, number | string> }[] = [];
    fleet.state.domainEvents.on("job-completed", (e) => events.push(e));
    const id = await enqueue("vm14", "hv2", { bandwidthMiB: 4, postcopy: true, undefineSource: true });
    await until(sampled(id), 60_000);
    const target = await getSshTarget(hostIds.get("hv3") ?? "");
    if (!target) throw new Error("no target");
    await getSshPool().exec(target, ["virsh", "-c", "qemu:///system", "migrate-setspeed", "vm14", "8", "--postcopy"]);
    caller = operator;
    expect(
      await controlMigrationAction({ action: "switch-to-postcopy", migrationId: id, idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: true });
    await until(ended([id]), 120_000);
    const m = await row(id);
    expect(m.state).toBe("completed");
    // What the lab showed: the source domain is gone, the destination says "Job type: None".
    expect(fleet.state.host("hv3")?.domains.has("vm14")).toBe(false);
    expect((await completedRecord("hv2", "vm14")).type).toBe("none");
    const [event] = events.filter((e) => e.host === "hv3" && e.domain === "vm14");
    expect(event).toBeDefined();
    expect(m.downtimeMs).toBe(Math.round(Number(event?.stats.downtime)));
    expect(m.totalTimeMs).toBe(Math.round(Number(event?.stats.time_elapsed)));
    expect(m.dataProcessedBytes).toBe(BigInt(Math.round(Number(event?.stats.data_processed ?? -1))));
    expect(Number(m.postcopyBytes)).toBeGreaterThan(0);
    expect(m.completedStats).toMatchObject({ operation: "5" });
  }, 180_000);
});

describe("a planned post-copy move (issue 17)", () => {
  it("launched as the drain launches it (--postcopy --timeout N --timeout-postcopy) switches by itself; the outcome is the hosts'", async () => {
    const [from] = runsOn("vm14");
    const dest = from === "hv2" ? "hv3" : "hv2";
    // What optionsFor gives a move planned with a 20 s first pass: switch after 21 s (1 s of setup).
    const timeout = plannedSwitch({ strategy: "post-copy", switchAfterMs: 20_000 });
    expect(timeout).toEqual({ seconds: 21, action: "postcopy" });
    const id = await enqueue("vm14", dest, { bandwidthMiB: 4, postcopy: true, timeout, undefineSource: false });
    await until(sampled(id), 60_000);
    const target = await getSshTarget(hostIds.get(from ?? "") ?? "");
    if (!target) throw new Error("no target");
    // Slow post-copy so the phase is sampled: Convoy records the switch only when a sample shows it.
    await getSshPool().exec(target, ["virsh", "-c", "qemu:///system", "migrate-setspeed", "vm14", "16", "--postcopy"]);
    await until(async () => (await row(id)).state === "postcopy", 60_000);
    await until(ended([id]), 120_000);
    const m = await row(id);
    const truth = await completedRecord(from ?? "", "vm14");
    expect(m.state).toBe("completed");
    expect(runsOn("vm14")).toEqual([dest]);
    // No operator or policy asked: virsh's timer switched it, and the figures are the source's record.
    expect(await db.migrationEvent.count({ where: { migrationId: id, source: { in: ["operator", "policy"] } } })).toBe(
      0,
    );
    expect(Number(m.postcopyBytes)).toBeGreaterThan(0);
    expect(m.totalTimeMs).toBe(truth.timeElapsedMs);
    expect(m.dataProcessedBytes).toBe(BigInt(truth.dataProcessedBytes ?? -1));
  }, 180_000);
});

describe("restart with auto-converge", () => {
  it("the cancel and the relaunch commit in one transaction", async () => {
    const id = await enqueue("vm15", "hv3", { bandwidthMiB: 4 });
    await until(sampled(id), 60_000);
    caller = operator;
    expect(
      await controlMigrationAction({
        action: "restart-with-auto-converge",
        migrationId: id,
        idempotencyKey: randomUUID(),
        initial: 30,
        increment: 15,
      }),
    ).toMatchObject({ ok: true });
    await until(async () => (await row(id)).state === "cancelled", 60_000);
    // xmin is the id of the transaction that wrote a row: one commit wrote the cancel and the relaunch.
    const [cancel] = await db.$queryRaw<
      { xmin: string }[]
    >`SELECT xmin::text FROM "MigrationEvent" WHERE "migrationId" = ${id} AND type = 'cancelled'`;
    const [next] = await db.$queryRaw<
      { xmin: string }[]
    >`SELECT xmin::text FROM "LiveMigration" WHERE "restartOfId" = ${id}`;
    expect(cancel?.xmin).toBeDefined();
    expect(next?.xmin).toBe(cancel?.xmin);
  }, 120_000);
});
