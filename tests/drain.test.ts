// The drain (issue 5) against a real Postgres: the window actions, the dry run, and the worker's
// DB steps — claiming in plan order with SKIP LOCKED, the per-source / per-destination limits,
// retry elsewhere, skips, pause/cancel, and the drained host going to maintenance. The SSH-facing
// parts are injected: dirty-rate measurement (mocked module) and the live VM probe (a function).
// Migrations are ended by hand with the same `transition` the migration loop uses.
//
// This file uses a database of its own (created from the suite's server, migrated here): the
// worker steps are global by design (any worker settles any window), so sharing the suite's
// database with tests that run a MigrationLoop in parallel would let them race for these rows.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_drain");

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSession: async () => caller }));
/** Dirty rates "measured over SSH": MiB/s per VM name; a missing name fails like an unreachable guest. */
const rates = new Map<string, number>();
vi.mock("@/lib/migration-ops/dirty-rate", () => ({
  measureDirtyRate: async (_t: unknown, _uri: string, vm: string) => {
    const r = rates.get(vm);
    if (r === undefined) throw new Error("virsh: domdirtyrate-calc timed out");
    return { bytesPerSecond: r * 2 ** 20, seconds: 1 };
  },
}));

const { db } = await import("@/lib/db/client");
const { transition } = await import("@/lib/db/migrations");
const { completeWindows, settleEndedMoves, startMoves } = await import("@/lib/evacuation/drain");
const actions = await import("@/lib/actions/windows");
const { createInventoriedHost } = await import("./support/seed-hosts");
const { storedPlan } = await import("@/lib/schemas/wire-window");
const { getWindowView } = await import("@/lib/db/windows");

const GiB = 2 ** 30;
const CPU = "Convoy-Test-CPU"; // compatible with itself only
const running = () => async () => "running" as const;

type Spec = {
  hosts: { name: string; memGiB?: number; cores?: number; nicBps?: bigint }[];
  vms: { name: string; host: string; memGiB?: number; vcpus?: number; state?: string }[];
};

async function seed(spec: Spec) {
  const hosts = new Map<string, string>();
  for (const h of spec.hosts)
    hosts.set(
      h.name,
      await createInventoriedHost(h.name, {
        cpuModel: CPU,
        cores: h.cores,
        memGiB: h.memGiB,
        nicBps: h.nicBps ?? 1_250_000_000n,
      }),
    );
  for (const v of spec.vms) {
    await db.vm.create({
      data: {
        hostId: hosts.get(v.host) ?? "",
        uuid: randomUUID(),
        name: v.name,
        state: v.state ?? "running",
        vcpus: v.vcpus ?? 2,
        memoryBytes: BigInt((v.memGiB ?? 2) * GiB),
      },
    });
    if (!rates.has(v.name)) rates.set(v.name, 8);
  }
  return (name: string) => hosts.get(name) ?? "";
}

async function user(role: "viewer" | "operator") {
  const u = await db.user.create({
    data: { username: `${role}-${randomUUID().slice(0, 8)}`, role, passwordHash: "x" },
  });
  caller = { id: u.id, username: u.username, role, sessionId: "s" };
  return caller;
}

async function planned(hostIds: string[], over: Record<string, unknown> = {}) {
  const created = await actions.createWindowAction({
    name: "drain test",
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    hostIds,
    ...over,
  });
  if (!created.ok) throw new Error(`create: ${created.message} ${JSON.stringify(created.fieldErrors)}`);
  const windowId = created.data.windowId;
  const plan = await actions.planWindowAction({ windowId });
  if (!plan.ok) throw new Error(`plan: ${plan.message}`);
  return windowId;
}

async function runWindow(windowId: string) {
  const r = await actions.runWindowAction({ windowId });
  if (!r.ok) throw new Error(`run: ${r.message}`);
}

const moves = (windowId: string) => db.evacuationMove.findMany({ where: { windowId }, orderBy: { order: "asc" } });
const active = (windowId: string) =>
  db.liveMigration.findMany({ where: { windowId, state: { in: ["queued", "launching", "running", "postcopy"] } } });
const end = (migrationId: string, state: "completed" | "failed" | "cancelled", error?: string) =>
  transition(migrationId, ["queued", "launching", "running", "postcopy"], state, {
    endedAt: new Date(),
    error: error ?? null,
  });

function expectWithinLimits(rows: { sourceHostId: string; destHostId: string }[], maxOut: number, maxIn: number) {
  const count = (key: "sourceHostId" | "destHostId") => {
    const n = new Map<string, number>();
    for (const r of rows) n.set(r[key], (n.get(r[key]) ?? 0) + 1);
    return Math.max(0, ...n.values());
  };
  expect(count("sourceHostId")).toBeLessThanOrEqual(maxOut);
  expect(count("destHostId")).toBeLessThanOrEqual(maxIn);
}

beforeEach(async () => {
  await db.$executeRawUnsafe(
    `TRUNCATE "EvacuationMove", "WindowHost", "MaintenanceWindow", "Reservation", "MigrationEvent", "MigrationSample", "LiveMigration", "Vm", "Host", "AuditLog", "EscalationPolicy", "User" CASCADE`,
  );
  rates.clear();
});

describe("planning a window (the dry run)", () => {
  it("stores the whole plan and one pending move per planned VM, moves nothing, and never drops a VM silently", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: [
        { name: "vm-a", host: "src" },
        { name: "vm-b", host: "src", memGiB: 4 },
        { name: "vm-huge", host: "src", memGiB: 200 },
        { name: "vm-off", host: "src", state: "shut off" },
        { name: "vm-unmeasured", host: "src" },
        { name: "other", host: "d1" },
      ],
    });
    rates.delete("vm-unmeasured");
    await user("operator");
    const windowId = await planned([id("src")]);

    const w = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } });
    const plan = w.plan as unknown as import("@/lib/evacuation/types").StoredPlan;
    expect(w.state).toBe("planned");
    expect(plan.moves.map((m) => m.vmName).sort()).toEqual(["vm-a", "vm-b", "vm-unmeasured"]);
    expect(plan.unplaced.map((u) => u.vmName)).toEqual(["vm-huge"]);
    expect(plan.notMoved).toEqual([
      expect.objectContaining({ vmName: "vm-off", reason: expect.stringMatching(/only running guests/) }),
    ]);
    const unmeasured = plan.rates.find((r) => r.vmName === "vm-unmeasured");
    expect(unmeasured).toMatchObject({ measured: false, note: expect.stringMatching(/timed out.*conservative/) });
    expect(plan.rates.find((r) => r.vmName === "vm-a")).toMatchObject({ measured: true, dirtyRateBps: 8 * 2 ** 20 });
    expect(plan.lowerBoundMs).toBeGreaterThan(0);
    expect(plan.makespanMs).toBeGreaterThanOrEqual(plan.lowerBoundMs);

    const rows = await moves(windowId);
    expect(rows.map((m) => m.vmName)).toEqual(plan.moves.map((m) => m.vmName));
    expect(rows.every((m) => m.state === "pending" && m.sourceHostId === id("src") && m.destHostId !== id("src"))).toBe(
      true,
    );
    expect(await db.liveMigration.count()).toBe(0);

    // The page and the API get each move once, in `moves` with its state: not again in the plan.
    const view = await getWindowView(windowId);
    expect(view?.plan).toMatchObject({ moveCount: 3, makespanMs: plan.makespanMs });
    expect(view?.plan).not.toHaveProperty("moves");
    expect(view?.moves.map((m) => m.vmName).sort()).toEqual(["vm-a", "vm-b", "vm-unmeasured"]);

    // A second dry run replaces the pending moves rather than adding to them.
    expect((await actions.planWindowAction({ windowId })).ok).toBe(true);
    const again = await moves(windowId);
    expect(again).toHaveLength(rows.length);
    expect(again.map((m) => m.id)).not.toEqual(rows.map((m) => m.id));
    const audit = await db.auditLog.findMany({ where: { targetId: windowId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => `${a.action}:${a.result}`)).toEqual([
      "window.create:ok",
      "window.plan:ok",
      "window.plan:ok",
    ]);
  });

  it("lets viewers read but never act, and refuses invalid windows field by field", async () => {
    const id = await seed({ hosts: [{ name: "src" }, { name: "d1" }], vms: [{ name: "vm-a", host: "src" }] });
    await user("operator");
    const windowId = await planned([id("src")]);
    await user("viewer");
    for (const act of [
      actions.planWindowAction,
      actions.runWindowAction,
      actions.pauseWindowAction,
      actions.cancelWindowAction,
    ]) {
      expect(await act({ windowId })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    }
    await user("operator");
    const bad = await actions.createWindowAction({
      name: "x",
      startsAt: "2030-01-01T10:00:00Z",
      endsAt: "2030-01-01T09:00:00Z",
      hostIds: [],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["endsAt", "hostIds", "name"]);
    // Only a planned window runs.
    expect(await actions.pauseWindowAction({ windowId })).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});

describe("running a drain", () => {
  it("starts moves in plan order within the limits, shares the claim between workers, and resumes rather than repeats", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: ["a", "b", "c", "d", "e"].map((n) => ({ name: `vm-${n}`, host: "src" })),
    });
    await user("operator");
    const windowId = await planned([id("src")], {
      maxOutbound: 2,
      maxInbound: 1,
      policyName: "none",
      downtimeBudgetMs: 500,
    });
    expect(await startMoves(windowId, running())).toBe(0); // planned, not running: nothing starts
    await runWindow(windowId);

    // Two workers at once: the window row lock lets one fill the slots, the other finds them full.
    const started = await Promise.all([startMoves(windowId, running()), startMoves(windowId, running())]);
    expect(started.reduce((a, b) => a + b, 0)).toBe(2);
    let inFlight = await active(windowId);
    expect(inFlight).toHaveLength(2);
    expectWithinLimits(inFlight, 2, 1);
    const first = (await moves(windowId)).filter((m) => m.state === "started");
    expect(first.map((m) => m.order).sort()).toEqual([0, 1]);
    for (const m of first) {
      const mig = inFlight.find((x) => x.id === m.migrationId);
      expect(mig).toMatchObject({ vmName: m.vmName, destHostId: m.destHostId, windowId, state: "queued" });
      expect(mig?.options).toMatchObject({
        maxDowntimeMs: 500,
        autoConverge: { enabled: m.autoConverge },
        undefineSource: true,
      });
      expect(await db.reservation.findUnique({ where: { migrationId: m.migrationId ?? "" } })).toMatchObject({
        hostId: m.destHostId,
      });
    }

    // A restarted worker finds the same rows: nothing is started twice.
    expect(await startMoves(windowId, running())).toBe(0);
    expect(await db.liveMigration.count({ where: { windowId } })).toBe(2);

    // As migrations complete, the next moves start — never above the limits.
    for (let round = 0; round < 10 && (await moves(windowId)).some((m) => m.state !== "completed"); round++) {
      for (const m of await active(windowId)) await end(m.id, "completed");
      await settleEndedMoves();
      await startMoves(windowId, running());
      inFlight = await active(windowId);
      expectWithinLimits(inFlight, 2, 1);
    }
    expect((await moves(windowId)).map((m) => m.state)).toEqual([
      "completed",
      "completed",
      "completed",
      "completed",
      "completed",
    ]);
  });

  it("retries a failed move on another destination, never the failed one, and gives up with the reason when none is left", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: [{ name: "vm-x", host: "src", memGiB: 4 }],
    });
    await user("operator");
    const windowId = await planned([id("src")]);
    await runWindow(windowId);
    await startMoves(windowId, running());
    const [m1] = await moves(windowId);
    const firstDest = m1?.destHostId ?? "";
    await end(
      m1?.migrationId ?? "",
      "failed",
      "error: operation failed: Unable to write to socket: Connection timed out",
    );
    expect(await settleEndedMoves()).toBe(1);

    const [retry] = await moves(windowId);
    const otherDest = firstDest === id("d1") ? id("d2") : id("d1");
    expect(retry).toMatchObject({ state: "pending", destHostId: otherDest, failedDestIds: [firstDest], attempts: 1 });
    expect(retry?.lastError).toMatch(/Connection timed out/);

    await startMoves(windowId, running());
    const [m2] = await moves(windowId);
    expect(m2).toMatchObject({ state: "started", attempts: 2, destHostId: otherDest });
    const mig = await db.liveMigration.findUniqueOrThrow({ where: { id: m2?.migrationId ?? "" } });
    expect(mig.destHostId).toBe(otherDest);
    await end(mig.id, "cancelled", "error: operation aborted: job 'migration out' canceled by client");
    await settleEndedMoves();

    const [given] = await moves(windowId);
    expect(given?.state).toBe("failed");
    expect(given?.failedDestIds.sort()).toEqual([id("d1"), id("d2")].sort());
    expect(given?.lastError).toMatch(/not retried: no other destination \(already failed on d\d, d\d\)/);
    // Its host still runs the VM: the window completes, but the host is not put in maintenance.
    expect(await completeWindows()).toEqual([windowId]);
    expect((await db.host.findUniqueOrThrow({ where: { id: id("src") } })).status).toBe("active");
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "window.complete", targetId: windowId } });
    expect(audit.after).toMatchObject({ maintenance: [], leftInService: [{ host: "src", runningVms: ["vm-x"] }] });
  });

  it("treats a destination's capacity refusal at start as its failure and goes elsewhere", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: [{ name: "vm-x", host: "src", memGiB: 8 }],
    });
    await user("operator");
    const windowId = await planned([id("src")]);
    await runWindow(windowId);
    const [m] = await moves(windowId);
    // The planned destination lost its room after planning (inventory changed).
    await db.host.update({ where: { id: m?.destHostId ?? "" }, data: { memoryFreeBytes: BigInt(1 * GiB) } });
    expect(await startMoves(windowId, running())).toBe(0);
    const [after] = await moves(windowId);
    expect(after).toMatchObject({ state: "pending", failedDestIds: [m?.destHostId], attempts: 1 });
    expect(after?.destHostId).not.toBe(m?.destHostId);
    expect(after?.lastError).toMatch(/no longer has room/);
    expect(await startMoves(windowId, running())).toBe(1);
  });

  it("skips a VM moved by hand, stopped, or gone from its source", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: [
        { name: "vm-moved", host: "src" },
        { name: "vm-stopped", host: "src" },
        { name: "vm-gone", host: "src" },
      ],
    });
    await user("operator");
    const windowId = await planned([id("src")], { maxOutbound: 4, maxInbound: 4 });
    await runWindow(windowId);
    await db.vm.updateMany({ where: { name: "vm-moved" }, data: { hostId: id("d2") } });
    await db.vm.updateMany({ where: { name: "vm-stopped" }, data: { state: "shut off" } });
    const probe = async ({ vmName }: { vmName: string }) =>
      vmName === "vm-gone" ? ("gone" as const) : ("unknown" as const);
    expect(await startMoves(windowId, probe)).toBe(0);
    const rows = await moves(windowId);
    expect(Object.fromEntries(rows.map((m) => [m.vmName, m.state]))).toEqual({
      "vm-moved": "skipped",
      "vm-stopped": "skipped",
      "vm-gone": "skipped",
    });
    expect(rows.find((m) => m.vmName === "vm-moved")?.lastError).toMatch(/no longer on its source/);
    expect(rows.find((m) => m.vmName === "vm-stopped")?.lastError).toMatch(/not running/);
    expect(rows.find((m) => m.vmName === "vm-gone")?.lastError).toMatch(/no longer defined/);
    expect(await db.liveMigration.count()).toBe(0);
  });

  it("pauses (nothing new starts), resumes, and cancels pending moves while in-flight ones finish and are recorded", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "d1" }, { name: "d2" }],
      vms: ["a", "b", "c", "d"].map((n) => ({ name: `vm-${n}`, host: "src" })),
    });
    await user("operator");
    const windowId = await planned([id("src")], { maxOutbound: 1, maxInbound: 1 });
    await runWindow(windowId);
    expect(await startMoves(windowId, running())).toBe(1);
    expect((await actions.pauseWindowAction({ windowId })).ok).toBe(true);
    const [first] = await active(windowId);
    await end(first?.id ?? "", "completed");
    await settleEndedMoves(); // settling continues while paused
    expect(await startMoves(windowId, running())).toBe(0);
    expect((await actions.resumeWindowAction({ windowId })).ok).toBe(true);
    expect(await startMoves(windowId, running())).toBe(1);

    const cancel = await actions.cancelWindowAction({ windowId });
    expect(cancel).toMatchObject({ ok: true, data: { cancelledMoves: 2, inFlight: 1 } });
    const [second] = await active(windowId);
    expect(second).toBeDefined(); // left running: cancel never aborts a migration
    await end(second?.id ?? "", "failed", "error: Unable to write to socket: Connection reset by peer");
    await settleEndedMoves();
    const states = (await moves(windowId)).map((m) => m.state);
    expect(states).toEqual(["completed", "failed", "cancelled", "cancelled"]);
    expect((await moves(windowId))[1]?.lastError).toMatch(/window cancelled: not retried/);
    expect(await completeWindows()).toEqual([]);
    expect((await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } })).state).toBe("cancelled");
  });
});

describe("strategies beyond auto-converge (issue 17)", () => {
  // 1 GbE everywhere and a guest dirtying 16 GiB/s: even auto-converge's 99 % throttle leaves it
  // dirtying faster than the link sends, so only post-copy can move it.
  const fleet = {
    hosts: ["src", "d1", "d2"].map((name) => ({ name, nicBps: 125_000_000n })),
    vms: [
      { name: "vm-hot", host: "src" },
      { name: "vm-calm", host: "src" },
    ],
  };

  it("plans post-copy when the window's policy has a switch-to-postcopy step, and launches it armed with the planned switch", async () => {
    rates.set("vm-hot", 16 * 1024);
    const id = await seed(fleet);
    await user("operator");
    const windowId = await planned([id("src")], { policyName: "aggressive", downtimeBudgetMs: 500 });
    const w = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } });
    const p = storedPlan.parse(w.plan);
    const hot = p.moves.find((m) => m.vmName === "vm-hot");
    expect(hot).toMatchObject({ strategy: "post-copy" });
    expect(p.settings.strategies).toEqual({ postCopy: true, suspendAtEnd: true });
    await runWindow(windowId);
    await startMoves(windowId, running());
    const row = (await moves(windowId)).find((m) => m.vmName === "vm-hot");
    const mig = await db.liveMigration.findUniqueOrThrow({ where: { id: row?.migrationId ?? "" } });
    expect(mig.options).toMatchObject({
      postcopy: true,
      timeout: { action: "postcopy", seconds: Math.ceil((hot?.switchAfterMs ?? 0) / 1000) + 1 },
      autoConverge: { enabled: false },
    });
    expect(mig.policyName).toBe("aggressive");
  });

  it("without a post-copy step the hot VM is not planned, with a reason naming each strategy; the calm one is", async () => {
    rates.set("vm-hot", 16 * 1024);
    const id = await seed(fleet);
    await user("operator");
    const windowId = await planned([id("src")], { policyName: "default", downtimeBudgetMs: 500 });
    const p = storedPlan.parse((await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } })).plan);
    expect(p.moves.map((m) => m.vmName)).toEqual(["vm-calm"]);
    const reason = p.unplaced.find((u) => u.vmName === "vm-hot")?.reason ?? "";
    expect(reason).toMatch(/auto-converge: Even at the 99 % throttle cap/);
    expect(reason).toMatch(/suspend-at-end: .*over the 500 ms downtime budget/);
    expect(reason).toMatch(/post-copy: the window's policy does not allow it/);
  });
});

describe("finishing a drain", () => {
  it("puts an emptied host in maintenance once its inventory shows it empty, audited by system; then completes the window", async () => {
    const id = await seed({
      hosts: [{ name: "src" }, { name: "src2" }, { name: "d1", memGiB: 256 }],
      vms: [
        { name: "vm-a", host: "src" },
        { name: "vm-b", host: "src" },
        { name: "vm-c", host: "src2" },
        { name: "vm-huge", host: "src2", memGiB: 300 },
      ],
    });
    await user("operator");
    const windowId = await planned([id("src"), id("src2")], { maxOutbound: 2, maxInbound: 4 });
    await runWindow(windowId);
    for (let round = 0; round < 6 && (await moves(windowId)).some((m) => m.state !== "completed"); round++) {
      await startMoves(windowId, running());
      for (const m of await active(windowId)) await end(m.id, "completed");
      await settleEndedMoves();
    }
    expect((await moves(windowId)).every((m) => m.state === "completed")).toBe(true);

    // The inventory has not been read since: the worker waits rather than trusting stale rows.
    expect(await completeWindows()).toEqual([]);
    expect((await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } })).state).toBe("running");

    // Inventory refresh: the moved VMs are on d1 now; src is empty, src2 still runs vm-huge (unplaced).
    await db.vm.updateMany({ where: { name: { in: ["vm-a", "vm-b", "vm-c"] } }, data: { hostId: id("d1") } });
    await db.host.updateMany({
      where: { id: { in: [id("src"), id("src2")] } },
      data: { lastSeenAt: new Date(Date.now() + 1000) },
    });
    expect(await completeWindows()).toEqual([windowId]);

    const hosts = await db.host.findMany({ where: { id: { in: [id("src"), id("src2")] } }, orderBy: { name: "asc" } });
    expect(hosts.map((h) => `${h.name}:${h.status}`)).toEqual(["src:maintenance", "src2:active"]);
    const w = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: windowId } });
    expect(w.state).toBe("completed");
    expect(w.endedAt).not.toBeNull();
    const audit = await db.auditLog.findMany({ where: { actorName: "system" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => `${a.action}:${a.targetId}`)).toEqual([
      `host.maintenance:${id("src")}`,
      `window.complete:${windowId}`,
    ]);
    expect(audit[0]).toMatchObject({
      actorId: null,
      before: { status: "active" },
      after: { status: "maintenance", windowId },
    });
    expect(audit[1]?.after).toMatchObject({
      maintenance: ["src"],
      leftInService: [{ host: "src2", runningVms: ["vm-huge"] }],
    });
  });
});
