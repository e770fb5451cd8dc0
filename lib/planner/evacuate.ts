// Evacuation planner (issue 5): every VM on the drained hosts gets a destination and a start slot,
// or is listed with the reason it cannot. A list scheduler over a fluid model of the links
// (evacuate-timeline.ts: max-min fair shares, durations from lib/migration/predict at the share).
// At every event (a setup or transfer ending, an in-flight migration ending) each source with a
// free outbound slot, longest next move first, offers the head of its queue (evacuate-context.ts:
// auto-converge, then moves that must run alone, then the rest; longest on its best link, LPT):
//  - destination: among those with room (RAM and vCPUs after every reservation of the plan and
//    every in-flight migration; never released during the plan, since sources are drained hosts),
//    anti-affinity, pre-checks and a free inbound slot, the earliest predicted finish, then the
//    fewest incoming streams, then the most free RAM (spreading, not piling onto one host);
//  - admission: its fair share must be good enough (C.3: sharing raises λ = D/B; a move shares a
//    link only if that costs less link time than running alone, so low-dirty moves are packed and
//    dirty ones run alone); no running move is pushed below that unless sharing beats waiting;
//  - a capped stream leaves part of the egress idle (b < B_src): a low-dirty "filler" move is
//    started rate-limited to exactly the leftover; an idle source waits for a better destination
//    when that finishes sooner. Pure: no I/O, no clock, deterministic for a given input.
// One pass of the scheduler, phase by phase, is evacuate-schedule.ts; this file picks among passes.
import { planContext } from "./evacuate-context";
import { packConstrainedFirst, packGreedy } from "./evacuate-pack";
import { rationFastHosts } from "./evacuate-ration";
import { type Schedule, schedule } from "./evacuate-schedule";
import type { Plan, PlanInput } from "./evacuate-types";
import { placeableBound } from "./placeable";
import { boundedPlan } from "./tight-bound";

export * from "./evacuate-types";
export { planContext } from "./evacuate-context";

/**
 * The plan: scheduled with a free choice of destinations, sources offering longest move first; if
 * that leaves VMs out for want of room, also with sources in name order, and with every VM pinned
 * to a packing's host (greedy or most constrained first: the scheduler picks hosts for speed, not
 * fit); with a VM that adds bandwidth started before one that would only split a full ingress
 * (x and y fit only on a 1 GB/s host, z also on another: x and z first, not x and y sharing it);
 * and when the fastest hosts cannot hold every VM that gains from them, with their RAM kept
 * for those that gain most (evacuate-ration.ts). Kept: the plan that places more, then (leaving
 * out the same VMs) finishes sooner. The last two are skipped when the plan placing most places
 * every VM that fits alone within 2 % of its tight bound: no pass beats the bound (at 5,000 VMs
 * that saves a second of CPU).
 */
export function planEvacuation(input: PlanInput): Plan {
  const seen = { split: false };
  const most = placingMost(input, seen);
  const first = boundedPlan(input, most.moves, most.unplaced, most.flagged);
  if (first.ratioToLowerBound <= CLOSE_ENOUGH && most.moves.length === placeableBound(input)) return first;
  const widened = seen.split ? better(most, schedule(input, planContext(input), true, { widenFirst: true })) : most;
  const best = withFastHostsRationed(input, widened);
  return best === most ? first : boundedPlan(input, best.moves, best.unplaced, best.flagged);
}

const CLOSE_ENOUGH = 1.02;

function placingMost(input: PlanInput, seen: { split: boolean }): Schedule {
  const lpt = schedule(input, planContext(input), true, { seen });
  if (!forRoom(lpt)) return lpt;
  const free = better(lpt, schedule(input, planContext(input), false));
  const ctx = planContext(input);
  const pinned = [packGreedy(input, ctx), packConstrainedFirst(input, ctx) ?? new Map()].reduce((a, b) =>
    b.size > a.size ? b : a,
  );
  if (
    free.moves.length > pinned.size ||
    (free.moves.length === pinned.size && free.unplaced.some((u) => pinned.has(u.vmId)))
  )
    return free;
  const left = ctx.queued.filter((q) => !pinned.has(q.cls.vm.id));
  ctx.queued.splice(0, ctx.queued.length, ...ctx.queued.filter((q) => pinned.has(q.cls.vm.id)));
  for (const q of ctx.queued) q.dests = q.dests.filter((d) => d.id === pinned.get(q.cls.vm.id));
  const packed = schedule(input, ctx, true);
  for (const { cls } of left)
    packed.unplaced.push({
      vmId: cls.vm.id,
      vmName: cls.vm.name,
      reason:
        free.unplaced.find((u) => u.vmId === cls.vm.id)?.reason ??
        `left out so that more VMs fit: with it, ${pinned.size - free.moves.length} fewer could be placed`,
    });
  return better(packed, free);
}

/** The plan again with the fastest hosts' RAM kept for the VMs that gain most there (evacuate-ration.ts); the better one. */
function withFastHostsRationed(input: PlanInput, plan: Schedule): Schedule {
  const ctx = planContext(input);
  const offFast = rationFastHosts(input, ctx);
  if (!offFast) return plan;
  for (const q of ctx.queued) q.dests = offFast.get(q.cls.vm.id) ?? q.dests;
  return better(plan, schedule(input, ctx, true));
}

const forRoom = (p: Schedule) => p.unplaced.some((u) => /^no destination (has room|with room)/.test(u.reason));
const better = (a: Schedule, b: Schedule) =>
  a.moves.length > b.moves.length || (a.moves.length === b.moves.length && a.makespanMs < b.makespanMs) ? a : b;
