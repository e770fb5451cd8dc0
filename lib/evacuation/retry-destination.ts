// Where a failed move goes next: the planner's own rules (lib/planner/evacuate-place: host in
// service, libvirt not older, compatible CPU, vCPUs ≤ cores, RAM and vCPU room after every
// reservation, anti-affinity) applied to the fleet as it is now, never to a destination that
// already failed this VM, nor to a host being drained. Pure.
import { Eligibility, Ledger } from "@/lib/planner/evacuate-place";
import { MoveModel } from "@/lib/planner/evacuate-model";
import type { PlannerHost, PlannerVm } from "@/lib/planner/evacuate";

export type Held = { hostId: string; memoryBytes: number; vcpus: number; group?: string | null };

export type RetryInput = {
  vm: PlannerVm;
  hosts: PlannerHost[];
  failedDestIds: readonly string[];
  /** RAM and vCPUs already promised on each host: in-flight migrations and moves still pending. */
  held: Held[];
  /** Migrations heading to each host now (fewest first, like the planner). */
  inbound: ReadonlyMap<string, number>;
  maxDowntimeMs: number;
  autoConverge: boolean;
};

export type RetryChoice = { destHostId: string; reason: null } | { destHostId: null; reason: string };

export function pickRetryDestination(input: RetryInput): RetryChoice {
  const failed = new Set(input.failedDestIds);
  const hosts = input.hosts.map((h) =>
    failed.has(h.id) && h.state === "active" ? { ...h, state: "excluded" as const } : h,
  );
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const failedNames = input.failedDestIds.map((id) => byId.get(id)?.name ?? id);
  const after = failedNames.length ? ` (already failed on ${failedNames.join(", ")})` : "";

  const st = new Eligibility(hosts, byId).destinations(input.vm);
  if (st.reason !== null) return { destHostId: null, reason: `no other destination${after}: ${st.reason}` };

  const ledger = new Ledger(hosts);
  for (const h of input.held) ledger.reserve(h.hostId, h.memoryBytes, h.vcpus, h.group ?? null);
  const withRoom = st.dests.filter((d) => ledger.room(input.vm, d) === "ok");
  if (withRoom.length === 0)
    return { destHostId: null, reason: `no other destination${after}: ${ledger.noRoomReason(input.vm, st.dests)}` };

  // It converged on the planned link; a slower destination NIC must not change that.
  const model = new MoveModel(input.maxDowntimeMs);
  const srcNic = byId.get(input.vm.hostId)?.nicBps ?? Number.POSITIVE_INFINITY;
  const mode = input.autoConverge ? "auto-converge" : "plain";
  const converging = withRoom.filter((d) => model.estimate(input.vm, Math.min(srcNic, d.nicBps), mode) !== null);
  if (converging.length === 0) {
    return {
      destHostId: null,
      reason: `no other destination${after}: predicted not to converge on any destination with room (${model.explain(input.vm, srcNic, mode)})`,
    };
  }
  converging.sort(
    (a, b) =>
      (input.inbound.get(a.id) ?? 0) - (input.inbound.get(b.id) ?? 0) ||
      ledger.freeBytes(b) - ledger.freeBytes(a) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { destHostId: (converging[0] as PlannerHost).id, reason: null };
}
