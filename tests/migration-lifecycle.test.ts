// A migration's whole life against the simulated fleet over real SSH and a real Postgres: queued →
// launched detached → sampled → a worker "crash" (its in-memory state dropped, its lease expired)
// → adopted by another worker → settled from the completed-job statistics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
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
});
