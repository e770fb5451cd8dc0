import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { transaction } from "@/lib/db/client";
import { enqueueMigration } from "@/lib/db/enqueue-migration";
import { addEvent } from "@/lib/db/migrations";
import {
  activeWindowMigrations,
  claimEndedMoves,
  claimPendingMoves,
  completeWindow,
  countUnfinishedMoves,
  drainedHosts,
  drainedHostState,
  drainWindow,
  lockLaunchingWindow,
  lockRunningWindow,
  moveProgress,
  setHostMaintenance,
  updateMove,
  vmIsMigrating,
  vmsByUuid,
  windowForProbe,
  windowsWithMovesDone,
} from "@/lib/db/moves";
import { AppError } from "@/lib/errors";
import { decideAfterFailure, onSource, optionsFor, planOrderGate, type WindowRow } from "./drain-decide";
import { type FleetNow, loadFleetNow } from "./drain-fleet";
import type { DiskLike } from "./planner-input";
import { countActive, fits, startable, take } from "./slots";

// The drain's durable execution on Postgres (docs/decisions/002): EvacuationMove rows are the jobs.
// Every step is one short transaction of DB work only (no SSH inside), claiming rows with
// FOR UPDATE SKIP LOCKED, so several workers share a drain and a restarted worker resumes from the
// rows' states instead of repeating. The migrations themselves are launched, sampled and settled by
// the migration loop; this loop only decides what starts next and what a move's outcome means.

/** What the VM's source says right now (SSH, outside any transaction); "unknown" = go by the inventory. */
export type VmProbe = (m: {
  vmName: string;
  sourceHostId: string;
}) => Promise<"running" | "not-running" | "gone" | "unknown">;

const SYSTEM = { id: null, name: "system", role: null };
/** After the last move of a host ended, how long to wait for its inventory to show it empty. */
export const INVENTORY_GRACE_MS = 120_000;
const TX = { timeout: 10_000 };

/** Moves whose migration reached an end: completed, or retried elsewhere / failed / skipped. */
export async function settleEndedMoves(limit = 100): Promise<number> {
  return transaction(async (tx) => {
    const rows = await claimEndedMoves(tx, limit);
    if (rows.length === 0) return 0;
    let fleet: FleetNow | null = null;
    const windows = new Map<string, WindowRow>();
    for (const m of rows) {
      if (m.migrationState === "completed") {
        await updateMove(tx, m.id, { state: "completed", endedAt: m.endedAt ?? new Date(), lastError: null });
        continue;
      }
      fleet ??= await loadFleetNow(tx);
      const w = windows.get(m.windowId) ?? (await drainWindow(tx, m.windowId));
      windows.set(m.windowId, w);
      const destName = fleet.hosts.find((h) => h.id === m.destHostId)?.name ?? m.destHostId;
      const error = `${destName}: ${m.error ?? `migration ${m.migrationState}`}`;
      const outcome = decideAfterFailure(fleet, w, m, error, m.attempts);
      await updateMove(tx, m.id, outcome);
    }
    return rows.length;
  }, TX);
}

/**
 * Starts what the limits allow for one running window, in plan order: claims pending moves with
 * SKIP LOCKED under the window's row lock (so two workers never both fill the last inbound slot),
 * and queues each migration with its reservation through enqueueMigration. The migration loop
 * launches it over SSH after this transaction commits.
 */
export async function startMoves(windowId: string, probe?: VmProbe): Promise<number> {
  const probed = probe ? await probeCandidates(windowId, probe) : new Map<string, Awaited<ReturnType<VmProbe>>>();
  return transaction(async (tx) => {
    if (!(await lockLaunchingWindow(tx, windowId))) return 0;
    const w = await drainWindow(tx, windowId);
    const counts = countActive(await activeWindowMigrations(tx, windowId));
    const pending = await claimPendingMoves(tx, windowId);
    const gate = planOrderGate(w.plan, await moveProgress(tx, windowId));
    let started = 0;
    let fleet: FleetNow | null = null;
    for (const m of pending) {
      if (!fits(counts, m, w) || !gate.ready(m)) continue;
      const vm = onSource(await vmsByUuid(tx, m.vmUuid), m.sourceHostId);
      const live = probed.get(m.id) ?? "unknown";
      const skip = !vm
        ? "the VM is no longer in the inventory"
        : vm.hostId !== m.sourceHostId
          ? "the VM is no longer on its source host (moved by hand?)"
          : live === "gone"
            ? "the VM is no longer defined on its source host"
            : vm.state !== "running" || live === "not-running"
              ? `the VM is not running (${live === "not-running" ? "source says so" : vm.state})`
              : null;
      if (skip || !vm) {
        await updateMove(tx, m.id, { state: "skipped", lastError: skip, endedAt: new Date() });
        gate.mark(m, "ended");
        continue;
      }
      // Started by hand meanwhile: wait for that one to end (then it is skipped if it moved).
      if (await vmIsMigrating(tx, m.vmUuid)) continue;
      try {
        const row = await enqueueMigration(
          tx,
          {
            vmUuid: m.vmUuid,
            vmName: m.vmName,
            sourceHostId: m.sourceHostId,
            destHostId: m.destHostId,
            memoryBytes: vm.memoryBytes,
            vcpus: vm.vcpus,
            options: optionsFor(w, m, vm.disks as DiskLike[]),
            policyName: w.policyName ?? "none",
            windowId,
          },
          { destInService: true },
        );
        // lastError stays: while a retry runs, the page still says why the previous attempt failed.
        await updateMove(tx, m.id, {
          state: "started",
          attempts: { increment: 1 },
          migrationId: row.id,
          startedAt: new Date(),
        });
        await addEvent(tx, {
          migrationId: row.id,
          source: "system",
          type: "queued",
          message: `Maintenance window "${w.name}": move ${m.order + 1}, attempt ${m.attempts + 1}${m.failedDestIds.length ? ` (retry after ${m.failedDestIds.length} failed destination${m.failedDestIds.length === 1 ? "" : "s"})` : ""}`,
        });
        take(counts, m);
        gate.mark(m, "started");
        started++;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        // A capacity refusal (or a vanished host) is a failure of this destination: go elsewhere.
        fleet ??= await loadFleetNow(tx);
        const outcome = decideAfterFailure(fleet, w, m, e.message, m.attempts + 1);
        await updateMove(tx, m.id, { ...outcome, attempts: { increment: 1 } });
        gate.mark(m, "ended");
      }
    }
    return started;
  }, TX);
}

/**
 * A running window whose moves are all done: each drained host whose inventory (read after its
 * last move ended) shows no running VM goes to maintenance, with an audit row by "system"; then
 * the window is completed. A host still running VMs (unplaced, failed, skipped) stays in service.
 */
export async function completeWindows(now = new Date()): Promise<string[]> {
  const done: string[] = [];
  for (const id of await windowsWithMovesDone()) {
    const completed = await transaction(async (tx) => {
      if (!(await lockRunningWindow(tx, id))) return false;
      if (await countUnfinishedMoves(tx, id)) return false;
      const hosts = await drainedHosts(tx, id);
      const toMaintenance: { id: string; name: string }[] = [];
      const leftInService: { host: string; runningVms: string[]; why: string }[] = [];
      for (const { host } of hosts) {
        const { running, lastEndedAt: endedAt } = await drainedHostState(tx, id, host.id);
        const fresh = !endedAt || (host.lastSeenAt !== null && host.lastSeenAt >= endedAt);
        if (!fresh && now.getTime() - (endedAt?.getTime() ?? 0) < INVENTORY_GRACE_MS) return false; // wait for its inventory
        if (running.length === 0 && fresh) {
          if (host.status === "active") toMaintenance.push(host);
        } else {
          leftInService.push({
            host: host.name,
            runningVms: running.map((v) => v.name),
            why: fresh
              ? `${running.length} VM${running.length === 1 ? "" : "s"} still running`
              : "its inventory was not refreshed after the drain",
          });
        }
      }
      for (const h of toMaintenance) {
        await setHostMaintenance(tx, h.id);
        await writeAudit(tx, {
          actor: SYSTEM,
          action: "host.maintenance",
          result: "ok",
          targetType: "host",
          targetId: h.id,
          before: { status: "active" },
          after: { status: "maintenance", windowId: id },
        });
      }
      await completeWindow(tx, id, now);
      await writeAudit(tx, {
        actor: SYSTEM,
        action: "window.complete",
        result: "ok",
        targetType: "window",
        targetId: id,
        before: { state: "running" },
        after: { state: "completed", maintenance: toMaintenance.map((h) => h.name), leftInService },
      });
      return true;
    }, TX);
    if (completed) done.push(id);
  }
  return done;
}

/** The next moves that could start, checked live on their source before the claim (no transaction open). */
async function probeCandidates(windowId: string, probe: VmProbe): Promise<Map<string, Awaited<ReturnType<VmProbe>>>> {
  const read = await windowForProbe(windowId);
  if (!read) return new Map();
  const { window: w, active, moves } = read;
  const next = startable(
    moves.filter((m) => m.state === "pending"),
    countActive(active),
    w,
    planOrderGate(w.plan, moves),
  );
  const results = await Promise.all(
    next.map(async (m) => [m.id, await probe(m).catch(() => "unknown" as const)] as const),
  );
  return new Map(results);
}
