import "server-only";
import type { Tx } from "@/lib/db/client";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import { AppError } from "@/lib/errors";

// A host's life in the fleet: into and out of maintenance by hand, and decommissioning. Callable
// from a server action or an API route (each inside the caller's audited transaction).

/**
 * What keeps a host from being decommissioned: migrations in flight to or from it, and windows
 * that are running, paused or armed whose plan drains it or moves a VM to it. Empty: it may go.
 */
export async function decommissionBlockers(t: Tx, hostId: string): Promise<string[]> {
  const [migrations, drained, moves] = await Promise.all([
    t.liveMigration.findMany({
      where: { OR: [{ sourceHostId: hostId }, { destHostId: hostId }], state: { in: ACTIVE_STATES } },
      select: { vmName: true, state: true, sourceHostId: true },
      take: 20,
    }),
    t.windowHost.findMany({
      where: { hostId, window: LIVE_WINDOW },
      select: { window: { select: { name: true, state: true } } },
    }),
    t.evacuationMove.findMany({
      where: { destHostId: hostId, state: { in: ["pending", "started"] }, window: LIVE_WINDOW },
      distinct: ["windowId"],
      select: { window: { select: { name: true, state: true } } },
    }),
  ]);
  return [
    ...migrations.map((m) => `${m.vmName} is migrating ${m.sourceHostId === hostId ? "from" : "to"} it (${m.state})`),
    ...drained.map((d) => `window "${d.window.name}" (${windowWord(d.window.state)}) drains it`),
    ...moves.map((m) => `window "${m.window.name}" (${windowWord(m.window.state)}) moves VMs to it`),
  ];
}

const LIVE_WINDOW = {
  OR: [
    { state: { in: ["running" as const, "paused" as const] } },
    { state: "planned" as const, armedAt: { not: null } },
  ],
};
const windowWord = (state: string) => (state === "planned" ? "armed" : state);

/**
 * Decommissions a host: refused with the reasons while anything touches it. The row stays (status
 * removed) so migrations, reports and the audit log still name it; its SSH key is erased and its
 * inventory dropped, so no worker reads it again. A host never confirmed and never used is deleted.
 */
export async function decommissionHost(t: Tx, hostId: string, now: Date) {
  // The row lock serializes with enqueueMigration, which locks a destination the same way.
  const [host] = await t.$queryRaw<{ id: string; name: string; status: string }[]>`
    SELECT id, name, status::text AS status FROM "Host" WHERE id = ${hostId} FOR UPDATE`;
  if (!host || host.status === "removed")
    throw new AppError("NOT_FOUND", "No such host (or it was already decommissioned).");
  const blockers = await decommissionBlockers(t, hostId);
  if (blockers.length)
    throw new AppError("CONFLICT", `${host.name} cannot be decommissioned now: ${blockers.join("; ")}.`);
  const vms = await t.vm.findMany({ where: { hostId }, select: { name: true, state: true }, orderBy: { name: "asc" } });
  const used = await t.liveMigration.count({ where: { OR: [{ sourceHostId: hostId }, { destHostId: hostId }] } });
  const inWindows = await t.windowHost.count({ where: { hostId } });
  if (host.status === "pending_key" && used === 0 && inWindows === 0) {
    await t.host.delete({ where: { id: hostId } });
    return { name: host.name, before: host.status, deleted: true, vms: vms.map((v) => v.name) };
  }
  await t.vm.deleteMany({ where: { hostId } });
  await t.host.update({
    where: { id: hostId },
    data: {
      status: "removed",
      removedAt: now,
      privateKeyEnc: "",
      pendingFingerprint: null,
      reachable: false,
      lastCheckedAt: null,
      memoryFreeBytes: null,
    },
  });
  return { name: host.name, before: host.status, deleted: false, vms: vms.map((v) => `${v.name} (${v.state})`) };
}

/** Maintenance by hand: the host keeps what runs on it but gets no new incoming moves. */
export async function setHostMaintenance(t: Tx, hostId: string, maintenance: boolean) {
  const from = maintenance ? "active" : "maintenance";
  const to = maintenance ? "maintenance" : "active";
  const n = await t.host.updateMany({ where: { id: hostId, status: from }, data: { status: to } });
  const host = await t.host.findUnique({ where: { id: hostId }, select: { name: true, status: true } });
  if (!host || host.status === "removed") throw new AppError("NOT_FOUND", "No such host.");
  if (n.count !== 1)
    throw new AppError(
      "CONFLICT",
      `${host.name} is ${host.status}: only a host ${from === "active" ? "in service" : "in maintenance"} can be ${maintenance ? "put into" : "taken out of"} maintenance.`,
    );
  return { name: host.name, before: from, after: to };
}

/** A pinned host key, for the host's key history (first pin, re-pin after a reinstall). */
export async function recordKeyPin(
  t: Tx,
  e: { hostId: string; fingerprint: string; previous: string | null; actorName: string },
) {
  await t.hostKeyEvent.create({
    data: {
      hostId: e.hostId,
      fingerprint: e.fingerprint,
      previous: e.previous,
      kind: e.previous ? "re-pin" : "pin",
      actorName: e.actorName,
    },
  });
}
