// A migration's whole life against the simulated fleet over real SSH and a real Postgres: queued →
// launched detached → sampled → a worker "crash" (its in-memory state dropped, its lease expired)
// → adopted by another worker → settled from the completed-job statistics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { getMigrationView } from "@/lib/db/migration-view";
import { getMigration } from "@/lib/db/migrations";
import { readJob } from "@/lib/migration-ops/read-job";
import { SampleSettler } from "@/lib/migration-ops/settle-sample";
import { migrationView } from "@/lib/schemas/wire";
import { getSshPool } from "@/lib/ssh/pool";
import { MigrationLoop } from "@/lib/worker/migration-loop";
import type { RunningFleet } from "@/sim/fleet";
import { loadFleetFile } from "@/sim/fleet-file";
import { queueMigration, tickUntil } from "./support/migrations";
import { registerFleetHosts, startTestFleet } from "./support/sim-fleet";

let fleet: RunningFleet;
let hostIds = new Map<string, string>();

beforeAll(async () => {
  fleet = await startTestFleet(loadFleetFile("sim/fleets/test-small.yaml"), 50);
  hostIds = await registerFleetHosts(fleet, { inventory: true });
}, 60_000);

afterAll(async () => {
  await getSshPool().closeAll();
  await fleet?.stop();
});

const until = (done: () => Promise<boolean>, ms: number, tick: () => Promise<void>) => tickUntil(done, { ms, tick });

describe("a live migration end to end", () => {
  it("survives its worker dying mid-flight and records the real outcome", async () => {
    const vm = await db.vm.findFirstOrThrow({ where: { name: "vm-idle", hostId: hostIds.get("hv1") } });
    const id = await queueMigration(vm, hostIds.get("hv2") ?? "", { options: { bandwidthMiB: 8 } });
    const first = new MigrationLoop("worker-a");
    const state = async () => (await db.liveMigration.findUniqueOrThrow({ where: { id } })).state;
    await until(
      async () => (await db.migrationSample.count({ where: { migrationId: id } })) >= 2,
      30_000,
      () => first.tick(),
    );
    expect(await state()).toBe("running");

    // worker-a dies: nothing in memory survives; its lease runs out.
    await db.liveMigration.update({ where: { id }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    const second = new MigrationLoop("worker-b");
    await until(
      async () => (await state()) === "completed",
      60_000,
      () => second.tick(),
    );

    const done = await db.liveMigration.findUniqueOrThrow({ where: { id } });
    expect(done.ownerId).toBeNull();
    expect(done.downtimeMs).toBeGreaterThan(0);
    expect(done.completedStats).toMatchObject({ operation: expect.any(String) });
    expect(await db.reservation.count({ where: { migrationId: id } })).toBe(0);
    const events = await db.migrationEvent.findMany({ where: { migrationId: id }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["launched", "completed"]));
  }, 120_000);

  it("reads a job without writing anything; settling the reading is a separate step", async () => {
    const vm = await db.vm.findFirstOrThrow({ where: { name: "vm-web", hostId: hostIds.get("hv1") } });
    const id = await queueMigration(vm, hostIds.get("hv2") ?? "", { options: { bandwidthMiB: 4 } });
    const loop = new MigrationLoop("worker-c");
    await until(
      async () => (await db.migrationSample.count({ where: { migrationId: id } })) >= 1,
      30_000,
      () => loop.tick(),
    );
    const written = async () => ({
      row: await db.liveMigration.findUniqueOrThrow({ where: { id } }),
      samples: await db.migrationSample.count({ where: { migrationId: id } }),
      events: await db.migrationEvent.count({ where: { migrationId: id } }),
    });
    const before = await written();
    // Reading as if the launch had not been recorded yet: still no transition, no event, no sample.
    const m = { ...(await getMigration(id))!, state: "launching" as const };
    const reading = await readJob(m);
    expect(reading).toMatchObject({ kind: "active", postcopy: false, sample: { totalBytes: expect.any(Number) } });
    expect(await written()).toEqual(before);

    // Settling it makes the transition the reading proves and judges the sample, for the loop to store.
    const taken = await new SampleSettler().settle(m, reading);
    expect(taken).toMatchObject({ migrationId: id, m: { state: "running" }, verdict: { verdict: expect.any(String) } });
    expect(await db.migrationSample.count({ where: { migrationId: id } })).toBe(before.samples);

    // The view the page, the SSE snapshot and the API send survives its own wire schema unchanged.
    const view = await getMigrationView(id);
    expect(migrationView.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
  }, 60_000);
});
