// Set-up shared by the planner and the baselines: hosts, NICs, limits, the move model, static
// eligibility and each VM's class (mode and best bandwidth), plus the planner's per-source queues.
import { ASSUMED_JOB_OVERHEAD_MS } from "@/lib/migration/path-throughput";
import { allowedStrategies, classify, type MoveClass, MoveModel, shareAcceptable } from "./evacuate-model";
import { Eligibility } from "./evacuate-place";
import { FeasibleDests } from "./feasible-dests";
import {
  DEFAULT_MAX_INBOUND,
  DEFAULT_MAX_OUTBOUND,
  type Plan,
  type PlanInput,
  type PlannerHost,
  type Unplaced,
} from "./evacuate-types";

/** A VM to place: its class at its best link (queue order, flags) and its eligible destinations. */
export type Queued = { cls: MoveClass; dests: PlannerHost[] };

/** Shared set-up of the planner and the baselines: hosts, NICs, limits, the model, eligibility. */
export function planContext(input: PlanInput) {
  const byId = new Map(input.hosts.map((h) => [h.id, h]));
  const nic = new Map(input.hosts.map((h) => [h.id, h.nicBps]));
  const cap = input.perStreamCapBps ?? Number.POSITIVE_INFINITY;
  const overheadMs = Math.max(0, input.fixedOverheadMs ?? ASSUMED_JOB_OVERHEAD_MS);
  const model = new MoveModel(input.maxDowntimeMs);
  const allowed = allowedStrategies(input);
  const eligibility = new Eligibility(input.hosts, byId);
  const unplaced: Unplaced[] = [];
  const flagged: Plan["flagged"] = [];
  const queued: Queued[] = [];
  const feasible = new FeasibleDests(input);
  for (const vm of input.vms) {
    const st = eligibility.destinations(vm);
    if (st.reason !== null) {
      unplaced.push({ vmId: vm.id, vmName: vm.name, reason: st.reason });
      continue;
    }
    // The most it can get: alone, from its source's egress into the fastest ingress that could
    // ever take it (RAM, vCPUs, anti-affinity: a VM shut out of the one fast host is a long move,
    // and queues start long moves first). None fits: the eligible ones, for its reason later.
    const fast = feasible.fastest(vm, st.dests, 1)[0] ?? st.dests.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
    const linkBps = Math.min(byId.get(vm.hostId)?.nicBps ?? Number.POSITIVE_INFINITY, fast.nicBps);
    const c = classify(model, vm, Math.min(linkBps, cap), linkBps, allowed);
    if (c.ok) queued.push({ cls: c.cls, dests: st.dests });
    else {
      unplaced.push({ vmId: vm.id, vmName: vm.name, reason: c.reason });
      if (c.flagged) flagged.push({ vmId: vm.id, vmName: vm.name, reason: c.reason });
    }
  }
  // The strategy is decided per destination (issue 17): a VM that needs auto-converge (or post-copy)
  // on a 10 GbE host may run plain on a 25 GbE one, and one that cannot converge where it fits best
  // may still converge elsewhere. Alone on src→dest it gets min(source NIC, destination NIC, stream cap).
  const classes = new Map<string, MoveClass | null>();
  const classAt = (q: Queued, dest: PlannerHost): MoveClass | null => {
    const linkBps = Math.min(byId.get(q.cls.vm.hostId)?.nicBps ?? Number.POSITIVE_INFINITY, dest.nicBps);
    const key = `${q.cls.vm.id}\0${linkBps}`;
    let c = classes.get(key);
    if (c === undefined) {
      const r = classify(model, q.cls.vm, Math.min(linkBps, cap), linkBps, allowed);
      c = r.ok ? r.cls : null;
      classes.set(key, c);
    }
    return c;
  };
  return {
    byId,
    classAt,
    nic,
    cap,
    overheadMs,
    model,
    allowed,
    unplaced,
    flagged,
    queued,
    maxOut: Math.max(1, input.maxOutboundPerSource || DEFAULT_MAX_OUTBOUND),
    maxIn: Math.max(1, input.maxInboundPerDest || DEFAULT_MAX_INBOUND),
  };
}

export type PlanContext = ReturnType<typeof planContext>;

const rank = (q: Queued) => (q.cls.mode === "plain" ? 1 : 0);
const idOrder = (a: Queued, b: Queued) => (a.cls.vm.id < b.cls.vm.id ? -1 : a.cls.vm.id > b.cls.vm.id ? 1 : 0);

/**
 * Per-source queues, highest need first: moves that need more than plain pre-copy, then moves that cannot share the
 * link (sharing costs them more dirty re-sends than it saves), then the rest; each group largest
 * (longest alone) first, the LPT order.
 */
export function sourceQueues(ctx: PlanContext): Map<string, Queued[]> {
  const k = Math.min(ctx.maxOut, ctx.maxIn);
  const shareable = new Map(
    ctx.queued.map((q) => [
      q,
      q.cls.mode === "plain" &&
        shareAcceptable(ctx.model, q.cls, Math.min(q.cls.bestBps, q.cls.linkBps / k), 1, ctx.overheadMs),
    ]),
  );
  const queues = new Map<string, Queued[]>();
  for (const q of ctx.queued) queues.set(q.cls.vm.hostId, [...(queues.get(q.cls.vm.hostId) ?? []), q]);
  for (const list of queues.values()) {
    list.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        Number(shareable.get(a)) - Number(shareable.get(b)) ||
        b.cls.alone.ms - a.cls.alone.ms ||
        idOrder(a, b),
    );
  }
  return queues;
}
