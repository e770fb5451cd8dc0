// Host lifecycle (issue 18, item 4) against a real Postgres: decommissioning refused while a
// migration or a live window touches the host, allowed after, history kept (soft delete: out of the
// fleet, inventory and planning, still named by its migrations); maintenance by hand keeps new
// moves off a host, in the planner and in the drain's executor. Own database (TRUNCATEs).
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_hostlife");

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSession: async () => caller }));
vi.mock("@/lib/migration-ops/dirty-rate", () => ({
  measureDirtyRate: async () => ({ bytesPerSecond: 8 * 2 ** 20, seconds: 1 }),
}));

const { db } = await import("@/lib/db/client");
const { transition } = await import("@/lib/db/migrations");
const { enqueueMigration } = await import("@/lib/db/enqueue-migration");
const { getFleet } = await import("@/lib/db/fleet");
const { claimHostsForRefresh } = await import("@/lib/db/hosts");
const { getHostPage, listHostMigrations } = await import("@/lib/db/host-page");
const { decommissionBlockers } = await import("@/lib/db/host-lifecycle");
const { startMoves } = await import("@/lib/evacuation/drain");
const hostActions = await import("@/lib/actions/hosts");
const { createInventoriedHost } = await import("./support/seed-hosts");
const windowActions = await import("@/lib/actions/windows");

const GiB = 2 ** 30;

async function seed(names: string[]) {
  const ids = new Map<string, string>();
  for (const name of names) ids.set(name, await createInventoriedHost(name));
  return (n: string) => ids.get(n) ?? "";
}

async function as(role: "viewer" | "operator" | "admin") {
  const u = await db.user.create({
    data: { username: `${role}-${randomUUID().slice(0, 6)}`, role, passwordHash: "x" },
  });
  caller = { id: u.id, username: u.username, role, sessionId: "s" };
}

const vm = (hostId: string, name: string) =>
  db.vm.create({
    data: { hostId, uuid: randomUUID(), name, state: "running", vcpus: 2, memoryBytes: BigInt(2 * GiB) },
  });
const migrate = (name: string, sourceHostId: string, destHostId: string) =>
  db.$transaction((t) =>
    enqueueMigration(t, {
      vmUuid: randomUUID(),
      vmName: name,
      sourceHostId,
      destHostId,
      memoryBytes: BigInt(GiB),
      vcpus: 1,
      options: {},
      policyName: "none",
    }),
  );

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "HostKeyEvent", "EvacuationMove", "WindowHost", "MaintenanceWindow", "Reservation", "MigrationEvent", "MigrationSample", "LiveMigration", "Vm", "Host", "AuditLog", "EscalationPolicy", "User" CASCADE`,
  );
});

describe("decommissioning a host", () => {
  it("is refused while a migration touches it, with the reason; allowed after, with its history kept", async () => {
    const id = await seed(["old", "new"]);
    await vm(id("old"), "web-1");
    const m = await migrate("db-1", id("new"), id("old"));
    await as("operator");
    expect(await hostActions.removeHostAction({ hostId: id("old") })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    await as("admin");
    expect(await hostActions.removeHostAction({ hostId: id("old") })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: "old cannot be decommissioned now: db-1 is migrating to it (queued).",
    });

    await transition(m.id, ["queued"], "completed", { endedAt: new Date() });
    expect(await hostActions.removeHostAction({ hostId: id("old") })).toMatchObject({
      ok: true,
      data: { name: "old", deleted: false },
    });
    const row = await db.host.findUniqueOrThrow({ where: { id: id("old") }, omit: { privateKeyEnc: false } });
    expect(row).toMatchObject({ status: "removed", privateKeyEnc: "" });
    expect(row.removedAt).not.toBeNull();
    expect((await getFleet()).map((h) => h.name)).toEqual(["new"]);
    await db.host.updateMany({ data: { lastCheckedAt: null } });
    expect((await claimHostsForRefresh(10, 1)).map((h) => h.id)).toEqual([id("new")]);
    // History: the migration still names it, and its page still reads.
    const page = await getHostPage(id("old"));
    expect(page).toMatchObject({ name: "old", status: "removed", vms: [] });
    expect((await listHostMigrations(id("old"), 1)).rows).toMatchObject([
      { vmName: "db-1", direction: "in", otherHost: "new", state: "completed" },
    ]);
    expect(await db.auditLog.findFirst({ where: { action: "host.remove", result: "ok" } })).toMatchObject({
      targetId: id("old"),
      after: { status: "removed", vmsDropped: ["web-1 (running)"] },
    });
    // A decommissioned host is no destination, even for an admin's override.
    await expect(migrate("x", id("new"), id("old"))).rejects.toThrow(/decommissioned/);
    expect(await hostActions.removeHostAction({ hostId: id("old") })).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("is refused while an armed or running window drains it or moves VMs to it", async () => {
    const id = await seed(["src", "dst"]);
    await vm(id("src"), "app-1");
    await as("admin");
    const w = await windowActions.createWindowAction({
      name: "tonight",
      startsAt: new Date(Date.now() + 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      hostIds: [id("src")],
    });
    if (!w.ok) throw new Error(w.message);
    expect((await windowActions.planWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    // Planned but not armed: nothing will run on its own, so it does not hold the hosts.
    expect(await db.$transaction((t) => decommissionBlockers(t, id("dst")))).toEqual([]);
    expect((await windowActions.armWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    const r = await hostActions.removeHostAction({ hostId: id("dst") });
    expect(r).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(r.ok ? "" : r.message).toMatch(/window "tonight" \(armed\) moves VMs to it/);
    expect(await hostActions.removeHostAction({ hostId: id("src") })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/window "tonight" \(armed\) drains it/),
    });
    expect((await windowActions.cancelWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    expect((await hostActions.removeHostAction({ hostId: id("dst") })).ok).toBe(true);
  });
});

describe("maintenance by hand", () => {
  it("keeps new moves off the host: the planner does not place on it and the drain sends a planned move elsewhere", async () => {
    const id = await seed(["src", "d1", "d2"]);
    await vm(id("src"), "a");
    await vm(id("src"), "b");
    await as("viewer");
    expect(await hostActions.setHostMaintenanceAction({ hostId: id("d1"), maintenance: true })).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
    });
    await as("operator");
    expect(await hostActions.setHostMaintenanceAction({ hostId: id("d1"), maintenance: true })).toMatchObject({
      ok: true,
      data: { after: "maintenance" },
    });
    expect(await hostActions.setHostMaintenanceAction({ hostId: id("d1"), maintenance: true })).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });

    const w = await windowActions.createWindowAction({
      name: "by hand",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      hostIds: [id("src")],
    });
    if (!w.ok) throw new Error(w.message);
    expect((await windowActions.planWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    const planned = await db.evacuationMove.findMany({ where: { windowId: w.data.windowId } });
    expect(planned.map((m) => m.destHostId)).toEqual([id("d2"), id("d2")]);
    const plan = (await db.maintenanceWindow.findUniqueOrThrow({ where: { id: w.data.windowId } })).plan as {
      notes: string[];
    };
    expect(plan.notes).toContain("d1: not a destination (status maintenance)");

    // Out of maintenance, re-planned onto d1 too; then d1 goes back into maintenance before the run.
    expect((await hostActions.setHostMaintenanceAction({ hostId: id("d1"), maintenance: false })).ok).toBe(true);
    expect((await windowActions.planWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    const toD1 = (await db.evacuationMove.findMany({ where: { windowId: w.data.windowId, destHostId: id("d1") } }))
      .length;
    expect(toD1).toBeGreaterThan(0);
    expect((await hostActions.setHostMaintenanceAction({ hostId: id("d1"), maintenance: true })).ok).toBe(true);
    expect((await windowActions.runWindowAction({ windowId: w.data.windowId })).ok).toBe(true);
    await startMoves(w.data.windowId, async () => "running");
    const live = await db.liveMigration.findMany({ where: { windowId: w.data.windowId } });
    expect(live.every((m) => m.destHostId !== id("d1"))).toBe(true);
    const retried = await db.evacuationMove.findMany({
      where: { windowId: w.data.windowId, failedDestIds: { has: id("d1") } },
    });
    expect(retried.length).toBe(toD1);
    expect(retried[0]?.lastError).toMatch(/d1 is maintenance: no new incoming moves/);
  });
});
