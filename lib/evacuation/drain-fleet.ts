import "server-only";
import type { Tx } from "@/lib/db/client";
import { retryFleetRows } from "@/lib/db/moves";
import type { PlannerVm } from "@/lib/planner/evacuate";
import type { AntiAffinityGroups } from "@/lib/schemas/windows";
import { CONSERVATIVE_DIRTY_RATE_BPS, groupIndex, plannerHosts } from "./planner-input";
import { type Held, pickRetryDestination, type RetryChoice } from "./retry-destination";
import type { StoredPlan } from "./types";

/** The window settings a retry needs. */
export type WindowFacts = {
  id: string;
  downtimeBudgetMs: number;
  excludedHostIds: string[];
  antiAffinity: unknown;
  plan: unknown;
};

/**
 * The fleet as it is now, read inside the worker's short transaction (DB only, no SSH), for
 * retry-elsewhere: hosts, VMs, what in-flight migrations and still-pending moves (of every
 * window) hold on each host, and which hosts are being drained. Loaded once per batch; each
 * retry assigned in the batch is added to `held`, so two retries cannot both take the last room.
 */
export async function loadFleetNow(tx: Tx) {
  const [hosts, vms, active, pending, draining] = await retryFleetRows(tx);
  const vmByUuid = new Map(vms.map((v) => [v.uuid, v]));
  const inbound = new Map<string, number>();
  for (const m of active) inbound.set(m.destHostId, (inbound.get(m.destHostId) ?? 0) + 1);
  const held: (Held & { moveId?: string; vmName: string })[] = [
    ...active.map((m) => ({
      hostId: m.destHostId,
      memoryBytes: Number(m.reservation?.memoryBytes ?? m.memoryBytes),
      vcpus: m.reservation?.vcpus ?? m.vcpus,
      vmName: m.vmName,
    })),
    ...pending.flatMap((p) => {
      const vm = vmByUuid.get(p.vmUuid);
      return vm
        ? [
            {
              hostId: p.destHostId,
              memoryBytes: Number(vm.memoryBytes),
              vcpus: vm.vcpus,
              moveId: p.id,
              vmName: p.vmName,
            },
          ]
        : [];
    }),
  ];
  return {
    hosts: hosts.map((h) => ({
      ...h,
      memoryFreeBytes: h.memoryFreeBytes === null ? null : Number(h.memoryFreeBytes),
      nicBps: Number(h.nicBps),
    })),
    vms,
    vmByUuid,
    inbound,
    held,
    draining: new Set(draining.map((d) => d.hostId)),
  };
}
export type FleetNow = Awaited<ReturnType<typeof loadFleetNow>>;

/** Picks a new destination for a move that failed on `failedDestIds` (the latest included). */
export function chooseRetry(
  fleet: FleetNow,
  w: WindowFacts,
  move: { id: string; vmUuid: string; sourceHostId: string; autoConverge: boolean; failedDestIds: string[] },
): RetryChoice {
  const vm =
    fleet.vms.find((v) => v.uuid === move.vmUuid && v.hostId === move.sourceHostId) ?? fleet.vmByUuid.get(move.vmUuid);
  if (!vm) return { destHostId: null, reason: "the VM is no longer in the inventory" };
  const groupOf = groupIndex(w.antiAffinity as AntiAffinityGroups);
  const { hosts } = plannerHosts(fleet.hosts, fleet.vms, {
    draining: fleet.draining,
    excluded: new Set(w.excludedHostIds),
    groupOf,
    moving: new Set([vm.name]),
  });
  const rates = (w.plan as StoredPlan | null)?.rates ?? [];
  const plannerVm: PlannerVm = {
    id: vm.id,
    uuid: vm.uuid,
    name: vm.name,
    hostId: move.sourceHostId,
    vcpus: vm.vcpus,
    memoryBytes: Number(vm.memoryBytes),
    dirtyRateBps: rates.find((r) => r.vmName === vm.name)?.dirtyRateBps ?? CONSERVATIVE_DIRTY_RATE_BPS,
    antiAffinityGroup: groupOf.get(vm.name) ?? null,
  };
  const choice = pickRetryDestination({
    vm: plannerVm,
    hosts,
    failedDestIds: move.failedDestIds,
    held: fleet.held.filter((h) => h.moveId !== move.id).map((h) => ({ ...h, group: groupOf.get(h.vmName) ?? null })),
    inbound: fleet.inbound,
    maxDowntimeMs: w.downtimeBudgetMs,
    autoConverge: move.autoConverge,
  });
  fleet.held = fleet.held.filter((h) => h.moveId !== move.id);
  if (choice.destHostId)
    fleet.held.push({
      hostId: choice.destHostId,
      memoryBytes: plannerVm.memoryBytes,
      vcpus: vm.vcpus,
      moveId: move.id,
      vmName: vm.name,
    });
  return choice;
}
