// Turns inventory rows into the planner's view of the fleet. Pure (no I/O), shared by the planning
// step and the worker's retry-elsewhere, so both apply the same rules to the same facts.
import type { InFlight, PlannerHost } from "@/lib/planner/evacuate";
import type { OperatorAction } from "@/lib/migration/operator-actions";
import type { AntiAffinityGroups } from "@/lib/schemas/windows";

export type HostFacts = {
  id: string;
  name: string;
  status: string;
  reachable: boolean;
  cpuModel: string | null;
  cores: number | null;
  memoryFreeBytes: number | null;
  nicBps: number;
  libvirtVersion: string | null;
};

export type VmFacts = { name: string; hostId: string; state: string; vcpus: number };

/** When a dirty-rate measurement fails: a busy guest (a loaded web or database VM), so predictions err on the slow side. */
export const CONSERVATIVE_DIRTY_RATE_BPS = 200 * 2 ** 20;

export function groupIndex(groups: AntiAffinityGroups | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [group, vms] of Object.entries(groups ?? {})) for (const vm of vms) out.set(vm, group);
  return out;
}

/**
 * Hosts as the planner sees them. Draining: being drained (by this or another running window).
 * Excluded: excluded by the operator, not in service, unreachable, or without an inventory yet —
 * each such host gets a note, so a destination is never dropped without a reason.
 */
export function plannerHosts(
  hosts: HostFacts[],
  vms: VmFacts[],
  opts: {
    draining: ReadonlySet<string>;
    excluded: ReadonlySet<string>;
    groupOf: ReadonlyMap<string, string>;
    moving: ReadonlySet<string>;
  },
): { hosts: PlannerHost[]; notes: string[] } {
  const notes: string[] = [];
  const out = hosts.map((h): PlannerHost => {
    const running = vms.filter((v) => v.hostId === h.id && v.state === "running");
    let state: PlannerHost["state"] = "active";
    if (opts.draining.has(h.id)) state = "draining";
    else if (opts.excluded.has(h.id)) {
      state = "excluded";
      notes.push(`${h.name}: excluded by the window`);
    } else if (h.status !== "active") {
      state = "excluded";
      notes.push(`${h.name}: not a destination (status ${h.status})`);
    } else if (!h.reachable) {
      state = "excluded";
      notes.push(`${h.name}: not a destination (unreachable at its last inventory)`);
    } else if (h.cores === null || h.memoryFreeBytes === null) {
      state = "excluded";
      notes.push(`${h.name}: not a destination (no inventory yet)`);
    }
    const groups = running.filter((v) => !opts.moving.has(v.name)).flatMap((v) => opts.groupOf.get(v.name) ?? []);
    return {
      id: h.id,
      name: h.name,
      cpuModel: h.cpuModel,
      cores: h.cores ?? 0,
      memoryFreeBytes: h.memoryFreeBytes ?? 0,
      vcpusInUse: running.reduce((s, v) => s + v.vcpus, 0),
      nicBps: h.nicBps,
      libvirtVersion: h.libvirtVersion,
      state,
      antiAffinityGroups: [...new Set(groups)],
    };
  });
  return { hosts: out, notes };
}

export type ActiveMigrationFacts = {
  vmName: string;
  sourceHostId: string;
  destHostId: string;
  memoryBytes: number;
  vcpus: number;
  /** From its latest sample, when it has one. */
  remainingBytes: number | null;
  transferRateBps: number | null;
  /**
   * Remaining bytes of its last sample taken at or before the destination's free RAM was read
   * (inventory), or null when there was none then (not started yet: nothing had arrived).
   */
  remainingAtInventoryBytes: number | null;
};

/**
 * Migrations already in flight hold RAM on their destination and share the NICs. Their remaining
 * time comes from the last sample (remaining / transfer rate); without one (queued, launching) the
 * whole guest at the slower of the two NICs.
 *
 * Each byte counted once (issue 17): the destination's reported free RAM (nodememstats) already
 * excludes the pages that had arrived when it was read — QEMU allocates guest RAM on the
 * destination as pages arrive, not at the start — so only what had not arrived is reserved on top.
 * What had arrived is at least RAM − remaining (remaining also counts re-dirtied pages that are
 * already there), so the reservation errs on the safe side. An assumption: the lab's capture was inconclusive (its
 * two hosts share one kernel, so nodememstats there is the whole machine's).
 */
export function inflightFrom(
  rows: ActiveMigrationFacts[],
  nicOf: ReadonlyMap<string, number>,
  groupOf: ReadonlyMap<string, string>,
): InFlight[] {
  return rows.map((m) => {
    const nic = Math.min(
      nicOf.get(m.sourceHostId) ?? Number.POSITIVE_INFINITY,
      nicOf.get(m.destHostId) ?? Number.POSITIVE_INFINITY,
    );
    const remainingMs =
      m.remainingBytes !== null && m.transferRateBps && m.transferRateBps > 0
        ? (m.remainingBytes / m.transferRateBps) * 1000
        : Number.isFinite(nic) && nic > 0
          ? (m.memoryBytes / nic) * 1000
          : 0;
    return {
      sourceHostId: m.sourceHostId,
      destHostId: m.destHostId,
      memoryBytes: m.memoryBytes,
      vcpus: m.vcpus,
      remainingMs: Math.max(0, Math.round(remainingMs)),
      antiAffinityGroup: groupOf.get(m.vmName) ?? null,
      arrivedBytes: m.remainingAtInventoryBytes === null ? 0 : Math.max(0, m.memoryBytes - m.remainingAtInventoryBytes),
    };
  });
}

export type DiskLike = { target: string; device: string; readonly: boolean; shared: boolean };

/** Disks a migration must copy (--copy-storage-all): writable local disks, as runPrechecks decides. */
export function copiedDisks(disks: DiskLike[] | null | undefined): string[] {
  return (disks ?? []).filter((d) => d.device === "disk" && !d.readonly && !d.shared).map((d) => d.target);
}

/**
 * What a window's escalation policy lets the planner use beyond plain pre-copy (issue 17): any
 * policy allows auto-converge (as before); post-copy only with a `switch-to-postcopy` step and
 * suspend-at-end only with a `suspend-to-finish` step, the same controls the executor then fires.
 * Steps are the stored JSON; anything unreadable allows nothing more.
 */
export function strategiesFromPolicy(policy: { steps: unknown } | null | undefined): {
  autoConvergeWhenNeeded: boolean;
  strategies: { postCopy: boolean; suspendAtEnd: boolean };
} {
  const steps = Array.isArray(policy?.steps) ? (policy.steps as unknown[]) : [];
  const has = (action: OperatorAction) =>
    steps.some((s) => typeof s === "object" && s !== null && (s as { action?: unknown }).action === action);
  return {
    autoConvergeWhenNeeded: policy != null,
    strategies: { postCopy: has("switch-to-postcopy"), suspendAtEnd: has("suspend-to-finish") },
  };
}
