// The tight lower bound on an evacuation's makespan (issue 17): C.3's bound (lower-bound.ts) said
// "× 3.64" on a drain whose one auto-converging VM alone took most of it, because it ignored what
// limits a real schedule. This one counts, for the VMs a plan moves:
//  - each VM's own time: alone on the best link it can get — min(stream cap, its source's NIC, the
//    fastest NIC among the destinations that could ever take it: CPU, RAM and vCPUs after in-flight
//    moves, anti-affinity) — with the guest's re-sends (the predictor's time and bytes, plain or
//    auto-converge, whichever is less), plus the setup;
//  - per anti-affinity group: its members on distinct hosts, the slowest of them at best;
//  - per source: every byte it sends (re-sends included; a group's members on it at their least
//    total over distinct hosts) through min(NIC, k · stream cap); its k outbound slots, each held
//    by a move for setup + transfer and by an in-flight migration until its predicted end; and
//    both at once (slot-bound.ts: a slot in setup sends nothing, so with few slots the link idles);
//  - per CPU-eligible destination group E (the hosts a set of VMs may go to; groups are unions of
//    pre-check classes): the bytes of every VM that can only land in E through E's ingress
//    (min(NIC, inbound limit · stream cap) per host), and E's inbound slots (in-flight included);
//  - per such E split in two (packing-bound.ts): the bytes RAM forces onto one part — VMs with no
//    feasible host elsewhere, and what the other part's free RAM and anti-affinity cannot hold —
//    through that part's ingress.
// Why each is a bound: a move never gets more than its best link, the predictor's re-sends only
// shrink with more bandwidth, a NIC carries at most its rate, a slot holds one move at a time, and
// a plan's reservations never exceed a host's free RAM (they are never released during a drain).
// In-flight migrations count by the slots they hold, not by bytes: the planner's model ends them at
// their predicted time whatever share they get, so their bytes are not a quantity a plan must
// fit (counting them made the bound exceed the model's own feasible plans). Pure.
import { type BoundKit, type BoundTerm, type BoundVm, boundKit, gbps, sec } from "./bound-kit";
import { destTerms } from "./bound-dest-terms";
import { sourceTerms } from "./bound-source-terms";
import type { Queued } from "./evacuate-context";
import type { Plan, PlanInput, PlannedMove } from "./evacuate-types";
import { bottleneckAssignment } from "./feasible-dests";

export type { BoundTerm } from "./bound-kit";
export type TightBound = { lowerBoundMs: number; binding: BoundTerm | null; terms: BoundTerm[] };

/** The bound over `input.vms` (pass the VMs a plan moves). */
export function tightLowerBound(input: PlanInput): TightBound {
  const kit = boundKit(input);
  const vms = kit.ctx.queued.map((q) => bestLink(kit, q));
  const terms: BoundTerm[] = [
    ...vms.map((v) => vmTerm(kit, v)),
    ...antiAffinityTerms(kit),
    ...sourceTerms(kit, vms),
    ...destTerms(kit, vms),
  ];
  if (vms.length === 0) return { lowerBoundMs: 0, binding: null, terms: [] };
  const binding = terms.reduce((m, t) => (t.ms > m.ms ? t : m));
  return { lowerBoundMs: binding.ms, binding, terms };
}

/** A VM's best link among the hosts that could ever take it, and its time and bytes there. */
function bestLink(kit: BoundKit, q: Queued): BoundVm {
  const vm = q.cls.vm;
  const best = kit.feasible.fastest(vm, q.dests, 1)[0] ?? q.dests.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
  const rate = kit.rateInto(vm, best);
  const { ms, bytes } = kit.at(vm, rate);
  return { vm, dests: q.dests, ms, bytes, rate };
}

function vmTerm(kit: BoundKit, v: BoundVm): BoundTerm {
  return {
    kind: "vm",
    ms: kit.o + v.ms,
    why: `${v.vm.name} alone takes ${sec(v.ms)} at its best rate (${gbps(v.rate)}, re-sends included), plus its setup`,
  };
}

/**
 * Anti-affinity: a group's members land on distinct hosts, so when only one of its best hosts is
 * fast, the others take a slower link. The least T at which each member has its own host within
 * T (setup included); a member's m fastest feasible hosts suffice (m − 1 others take at most m − 1).
 */
function antiAffinityTerms(kit: BoundKit): BoundTerm[] {
  const affinity = new Map<string, Queued[]>();
  for (const q of kit.ctx.queued)
    if (q.cls.vm.antiAffinityGroup)
      affinity.set(q.cls.vm.antiAffinityGroup, [...(affinity.get(q.cls.vm.antiAffinityGroup) ?? []), q]);
  const terms: BoundTerm[] = [];
  for (const [g, members] of affinity) {
    if (members.length < 2) continue;
    const costs = members.map(
      (q) =>
        new Map(
          kit.feasible
            .fastest(q.cls.vm, q.dests, members.length)
            .map((d) => [d.id, kit.o + kit.at(q.cls.vm, kit.rateInto(q.cls.vm, d)).ms] as const),
        ),
    );
    const ms = bottleneckAssignment(costs);
    if (Number.isFinite(ms))
      terms.push({
        kind: "anti-affinity",
        ms,
        why: `anti-affinity group '${g}': its ${members.length} VMs land on distinct hosts, and the slowest then takes ${sec(ms)} at best (setup included)`,
      });
  }
  return terms;
}

/** A schedule's moves as a Plan: its makespan and the tight bound over the VMs it moves. */
export function boundedPlan(
  input: PlanInput,
  moves: PlannedMove[],
  unplaced: Plan["unplaced"],
  flagged: Plan["flagged"],
): Plan {
  const makespanMs = moves.reduce((m, x) => Math.max(m, x.endMs), 0);
  const moved = new Set(moves.map((m) => m.vmId));
  const lb = tightLowerBound({ ...input, vms: input.vms.filter((v) => moved.has(v.id)) });
  const lowerBoundMs = lb.lowerBoundMs;
  return {
    moves,
    unplaced,
    flagged,
    makespanMs,
    lowerBoundMs,
    lowerBoundWhy: lb.binding?.why ?? "nothing to move",
    ratioToLowerBound: lowerBoundMs > 0 ? makespanMs / lowerBoundMs : 1,
  };
}
