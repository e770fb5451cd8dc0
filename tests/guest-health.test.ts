// Guest health after landing, against the simulated fleet over real SSH and a real Postgres: a
// healthy landing is recorded healthy; a guest that panics or hangs right after landing (what the
// QEMU 7.2 TCG lab guests did while libvirt said "completed" and "running") is recorded "landed,
// unhealthy" with the reason, alerted once, and counted apart in the window's report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/outbox";
import { db } from "@/lib/db/client";
import { getWindowReport } from "@/lib/db/window-report";
import { checkLandedGuests } from "@/lib/migration-ops/guest-health";
import { getSshPool } from "@/lib/ssh/pool";
import { MigrationLoop } from "@/lib/worker/migration-loop";
import type { RunningFleet } from "@/sim/fleet";
import { loadFleetFile } from "@/sim/fleet-file";
import { queueMigration, tickUntil } from "./support/migrations";
import { refreshHostInventory, registerFleetHosts, startTestFleet } from "./support/sim-fleet";

const TIME_SCALE = 50;
// 20 s of the fleet's time, as the stack configures it for a simulated fleet.
const SETTLE_MS = 20_000 / TIME_SCALE;
let fleet: RunningFleet;
let windowId = "";
let hostIds = new Map<string, string>();
const loop = new MigrationLoop("worker-health");

beforeAll(async () => {
  // Host names of their own: other integration tests register the same fleet file's hv1/hv2.
  const spec = loadFleetFile("sim/fleets/test-small.yaml");
  spec.hosts = spec.hosts.map((h) => ({ ...h, name: `gh-${h.name}` }));
  spec.vms = spec.vms.map((v) => ({ ...v, host: `gh-${v.host}` }));
  fleet = await startTestFleet(spec, TIME_SCALE);
  hostIds = await registerFleetHosts(fleet, { inventory: true });
  windowId = (
    await db.maintenanceWindow.create({
      data: { name: "health window", startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000), state: "running" },
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await getSshPool().closeAll();
  await fleet?.stop();
});

/** The worker's inventory refresh of one host (where each VM runs now). */
const refresh = (host: string) => refreshHostInventory(hostIds.get(host) ?? "");

const until = (what: string, done: () => Promise<boolean>, ms: number, tick: () => Promise<void>) =>
  tickUntil(done, { ms, tick, everyMs: 100, what });

/** Migrates `vm` from → to through the worker's loop until libvirt's completed job is recorded. */
async function migrate(vm: string, from: string, to: string): Promise<string> {
  const row = await db.vm.findFirstOrThrow({ where: { name: vm, hostId: hostIds.get(from) } });
  const id = await queueMigration(row, hostIds.get(to) ?? "", { windowId });
  const state = async () => (await db.liveMigration.findUniqueOrThrow({ where: { id } })).state;
  await until(
    `${vm} lands on ${to}`,
    async () => (await state()) === "completed",
    60_000,
    () => loop.tick(),
  );
  await refresh(from);
  await refresh(to);
  return id;
}

/** Runs the worker's health loop until the landing has a verdict. */
async function health(id: string) {
  await until(
    "a health verdict",
    async () => !["checking", null].includes((await db.liveMigration.findUniqueOrThrow({ where: { id } })).guestHealth),
    30_000,
    () => checkLandedGuests({ settleMs: SETTLE_MS }),
  );
  return db.liveMigration.findUniqueOrThrow({ where: { id } });
}

describe("guest health after landing", () => {
  it("a guest that keeps running after landing is healthy", async () => {
    const id = await migrate("vm-idle", "gh-hv1", "gh-hv2");
    const m = await health(id);
    expect(m.guestHealth).toBe("healthy");
    expect(m.guestHealthReason).toMatch(/^Running; vCPU time \+\d+ ms in \d+ s\.$/);
  }, 90_000);

  it("a destination that does not answer at landing is asked again, and the intact guest is healthy, not unknown", async () => {
    const id = await migrate("vm-idle", "gh-hv2", "gh-hv1");
    // The lab's loaded hosts answered a probe later than the SSH timeout; here the host is down for a while.
    await fleet.control.setFault("gh-hv1", "down");
    const end = Date.now() + 4 * SETTLE_MS;
    while (Date.now() < end) {
      await checkLandedGuests({ settleMs: SETTLE_MS });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await db.liveMigration.findUniqueOrThrow({ where: { id } })).guestHealth).toBe("checking");
    await fleet.control.setFault("gh-hv1", "down", false);
    const m = await health(id);
    expect(m.guestHealth).toBe("healthy");
    expect(m.guestHealthReason).toMatch(/^Running; vCPU time \+\d+ ms in \d+ s\.$/);
  }, 90_000);

  it("a guest that panics on landing: landed, unhealthy, alerted once, counted apart in the report", async () => {
    fleet.control.setGuestFault("vm-web", "panic");
    const id = await migrate("vm-web", "gh-hv1", "gh-hv2");
    const m = await health(id);
    expect(m.state).toBe("completed"); // it did land: libvirt's job completed, the source has no copy
    expect([m.guestLocation, m.guestLocationHost]).toEqual(["crashed", "gh-hv2"]);
    expect(m.guestHealth).toBe("unhealthy");
    expect(m.guestHealthReason).toBe("The guest is crashed (panicked) on the destination.");
    const events = await db.migrationEvent.findMany({ where: { migrationId: id, type: "guest-unhealthy" } });
    expect(events.map((e) => e.message)).toEqual([
      "Landed, unhealthy: The guest is crashed (panicked) on the destination.",
    ]);

    const targets = [{ url: "http://127.0.0.1:9/hook", format: "generic" as const, events: ["unhealthy" as const] }];
    await evaluateAlerts({ targets, publicUrl: "http://convoy.test" });
    await evaluateAlerts({ targets, publicUrl: "http://convoy.test" });
    const alerts = await db.alertDelivery.findMany({ where: { migrationId: id } });
    expect(alerts.map((a) => [a.kind, (a.payload as { summary: string }).summary])).toEqual([
      ["unhealthy", "vm-web (gh-hv1 → gh-hv2) landed, unhealthy: The guest is crashed (panicked) on the destination."],
    ]);
  }, 90_000);

  it("a guest that hangs on landing (running, vCPU time frozen) is landed, unhealthy", async () => {
    fleet.control.setGuestFault("vm-local", "hang");
    const id = await migrate("vm-idle", "gh-hv1", "gh-hv2"); // the healthy one again: not touched by another VM's fault
    expect((await health(id)).guestHealth).toBe("healthy");
    fleet.control.setGuestFault("vm-idle", "hang");
    const hung = await migrate("vm-idle", "gh-hv2", "gh-hv1");
    const m = await health(hung);
    expect(m.guestHealth).toBe("unhealthy");
    expect(m.guestHealthReason).toMatch(/^its vCPUs used no time in \d+ s \(hung guest\)$/);

    const report = await getWindowReport(windowId);
    expect(report?.headline.attempts).toMatchObject({ completed: 5, landedUnhealthy: 2, healthUnknown: 0 });
  }, 120_000);
});
