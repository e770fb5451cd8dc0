// The drain's decisions (drain.ts runs them inside its transactions), pure: what a move becomes
// after a failed attempt, which pending moves the plan's order lets start, and the options a move's
// migration launches with.
import type { MoveProgress, PendingMoveRow } from "@/lib/db/moves";
import type { MoveState, Prisma } from "@/lib/generated/prisma/client";
import { movePrerequisites, type Prerequisites, readyToStart } from "@/lib/planner/evacuate-deps";
import { launchOptions } from "@/lib/schemas/migrations";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { chooseRetry, type FleetNow, type WindowFacts } from "./drain-fleet";
import { plannedSwitch } from "./planned-switch";
import { copiedDisks, type DiskLike } from "./planner-input";
import { MAX_ATTEMPTS, type StoredPlan } from "./types";

/** A window as the drain reads it. */
export type WindowRow = WindowFacts & {
  plan: StoredPlan | null;
  name: string;
  state: string;
  maxOutbound: number;
  maxInbound: number;
  policyName: string | null;
  launchEndedAt: Date | null;
};

/**
 * After a failed attempt (migration failed/cancelled/lost, or the destination refused): skipped if
 * the VM is gone or stopped, failed when the window was cancelled or the retries are used up, else
 * pending again on another destination (the failed one remembered), or failed when none is left.
 */
export function decideAfterFailure(
  fleet: FleetNow,
  w: WindowRow,
  m: {
    id: string;
    vmUuid: string;
    sourceHostId: string;
    destHostId: string;
    attempts: number;
    failedDestIds: string[];
    autoConverge: boolean;
  },
  error: string,
  attempts: number,
): Prisma.EvacuationMoveUpdateInput & { state: MoveState } {
  const ended = { endedAt: new Date() };
  const vm = onSource(
    fleet.vms.filter((v) => v.uuid === m.vmUuid),
    m.sourceHostId,
  );
  const kind = classifyVirshError(error).kind;
  if (!vm || vm.hostId !== m.sourceHostId)
    return { state: "skipped", ...ended, lastError: `${error} — the VM is no longer on its source host` };
  if (vm.state !== "running" || kind === "no-such-domain" || kind === "not-running")
    return { state: "skipped", ...ended, lastError: `${error} — the VM is not running` };
  if (w.state === "cancelled")
    return { state: "failed", ...ended, lastError: `${error} (window cancelled: not retried)` };
  if (w.launchEndedAt) return { state: "failed", ...ended, lastError: `${error} (window ended: not retried)` };
  const failedDestIds = [...new Set([...m.failedDestIds, m.destHostId])];
  if (attempts >= MAX_ATTEMPTS)
    return { state: "failed", ...ended, failedDestIds, lastError: `${error} — gave up after ${attempts} attempts` };
  const choice = chooseRetry(fleet, w, { ...m, failedDestIds });
  if (!choice.destHostId)
    return { state: "failed", ...ended, failedDestIds, lastError: `${error} — not retried: ${choice.reason}` };
  return { state: "pending", destHostId: choice.destHostId, failedDestIds, lastError: error, startedAt: null };
}

/**
 * The plan's own order (lib/planner/evacuate-deps): a move starts once the moves the plan ends
 * before it on its source or destination have ended, and those queued before it on its source have
 * started — free slots alone would pair moves the plan deliberately kept apart. A move retried
 * elsewhere no longer holds its planned slot, so it counts as ended for the others.
 */
export function planOrderGate(plan: StoredPlan | null, moves: MoveProgress[]) {
  const pre = plan ? movePrerequisites(plan) : new Map<string, Prerequisites>();
  const vmIdOf = (m: { order: number; vmName: string }) => {
    const p = plan?.moves[m.order];
    return p && p.vmName === m.vmName ? p.vmId : null;
  };
  const ended = new Set<string>();
  const started = new Set<string>();
  const mark = (m: { order: number; vmName: string }, what: "started" | "ended") => {
    const id = vmIdOf(m);
    if (!id) return;
    started.add(id);
    if (what === "ended") ended.add(id);
  };
  for (const m of moves) {
    if (TERMINAL.includes(m.state) || m.failedDestIds.length > 0) mark(m, "ended");
    else if (m.state !== "pending") mark(m, "started");
  }
  return {
    ready: (m: { order: number; vmName: string }) => {
      const id = vmIdOf(m);
      return id === null || readyToStart(pre.get(id), ended, started);
    },
    /** Moves started or skipped in this pass unblock the ones queued behind them at once. */
    mark,
  };
}

const TERMINAL: MoveState[] = ["completed", "failed", "skipped", "cancelled"];

/** The VM's inventory row on the move's source (a VM can briefly be listed on two hosts), else any. */
export function onSource<V extends { hostId: string }>(rows: V[], sourceHostId: string): V | undefined {
  return rows.find((v) => v.hostId === sourceHostId) ?? rows[0];
}

/**
 * The launch options of a move: the window's downtime budget, auto-converge as planned, copied
 * disks, a filler's rate limit, and a planned post-copy or suspend-at-end switch (issue 17).
 */
export function optionsFor(w: WindowRow, m: PendingMoveRow, disks: DiskLike[]): Prisma.InputJsonValue {
  const planned = w.plan?.moves.find((p) => p.vmName === m.vmName && p.destHostId === m.destHostId);
  const capBps = m.failedDestIds.length === 0 ? planned?.maxBandwidthBps : undefined;
  const copy = copiedDisks(disks);
  const sw = m.failedDestIds.length === 0 ? plannedSwitch(planned) : undefined;
  return launchOptions.parse({
    maxDowntimeMs: w.downtimeBudgetMs,
    autoConverge: { enabled: m.autoConverge },
    copyStorage: copy.length > 0,
    migrateDisks: copy.length ? copy : undefined,
    // A "filler" move runs beside a capped stream at exactly the leftover (the planner's rule).
    bandwidthMiB: capBps ? Math.max(1, Math.floor(capBps / 2 ** 20)) : undefined,
    postcopy: sw?.action === "postcopy",
    timeout: sw,
  }) as Prisma.InputJsonValue;
}
