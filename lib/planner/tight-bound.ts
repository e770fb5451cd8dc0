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
import { planContext, type Queued } from "./evacuate-context";
import { bytesToMove } from "./evacuate-model";
import type { Plan, PlanInput, PlannedMove, PlannerHost, PlannerVm } from "./evacuate-types";
import { bottleneckAssignment, FeasibleDests, minSumAssignment } from "./feasible-dests";
import { type PackVm, packingBound } from "./packing-bound";
import { slotBound, sourceFlowBound } from "./slot-bound";

export type BoundTerm = {
  kind:
    | "vm"
    | "anti-affinity"
    | "source-link"
    | "source-slots"
    | "source-flow"
    | "group-link"
    | "group-slots"
    | "dest-packing";
  ms: number;
  why: string;
};
export type TightBound = { lowerBoundMs: number; binding: BoundTerm | null; terms: BoundTerm[] };

/** Feasible hosts listed per VM for the packing term, and the splits it may try per bound. */
const PACK_LIST = 64;
const PACK_BUDGET = 64;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
const gbps = (b: number) => `${(b / 1e9).toFixed(2)} GB/s`;

/** The bound over `input.vms` (pass the VMs a plan moves). */
export function tightLowerBound(input: PlanInput): TightBound {
  const ctx = planContext(input);
  const o = ctx.overheadMs;
  const b = ctx.cap;
  const k = ctx.maxOut;
  const nic = (id: string) => ctx.nic.get(id) ?? Number.POSITIVE_INFINITY;
  const ingress = (h: PlannerHost) => Math.min(h.nicBps, ctx.maxIn * b);
  const terms: BoundTerm[] = [];
  const name = (id: string) => ctx.byId.get(id)?.name ?? id;

  // Per VM: its best link among the hosts that could ever take it (feasible-dests.ts: CPU, RAM and
  // vCPUs after in-flight moves, anti-affinity), its time and bytes there (the cheaper mode the
  // policy allows; time and re-sent bytes only grow on a slower link).
  const feasible = new FeasibleDests(input);
  const modes = input.autoConvergeWhenNeeded ? (["plain", "auto-converge"] as const) : (["plain"] as const);
  const at = (vm: PlannerVm, rate: number) => {
    const est = modes.map((m) => ctx.model.estimate(vm, rate, m)).filter((e) => e !== null);
    const ms = est.length > 0 ? Math.min(...est.map((e) => e.ms)) : (bytesToMove(vm) / rate) * 1000;
    return { ms, bytes: Math.max(bytesToMove(vm), est.length > 0 ? Math.min(...est.map((e) => e.sentBytes)) : 0) };
  };
  const rateInto = (vm: PlannerVm, d: PlannerHost) => Math.min(b, nic(vm.hostId), d.nicBps);
  const vms = ctx.queued.map((q) => {
    const vm = q.cls.vm;
    const best = feasible.fastest(vm, q.dests, 1)[0] ?? q.dests.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
    const rate = rateInto(vm, best);
    const { ms, bytes } = at(vm, rate);
    terms.push({
      kind: "vm",
      ms: o + ms,
      why: `${vm.name} alone takes ${sec(ms)} at its best rate (${gbps(rate)}, re-sends included), plus its setup`,
    });
    return { vm, dests: q.dests, ms, bytes, rate };
  });

  // Anti-affinity: a group's members land on distinct hosts, so when only one of its best hosts is
  // fast, the others take a slower link. The least T at which each member has its own host within
  // T (setup included); a member's m fastest feasible hosts suffice (m − 1 others take at most m − 1).
  const affinity = new Map<string, Queued[]>();
  for (const q of ctx.queued)
    if (q.cls.vm.antiAffinityGroup)
      affinity.set(q.cls.vm.antiAffinityGroup, [...(affinity.get(q.cls.vm.antiAffinityGroup) ?? []), q]);
  for (const [g, members] of affinity) {
    if (members.length < 2) continue;
    const costs = members.map(
      (q) =>
        new Map(
          feasible
            .fastest(q.cls.vm, q.dests, members.length)
            .map((d) => [d.id, o + at(q.cls.vm, rateInto(q.cls.vm, d)).ms] as const),
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

  const inflight = input.inflight.map((f) => ({ ...f, ms: Math.max(0, f.remainingMs) }));
  const endsBy = (key: (f: (typeof inflight)[number]) => string, ids: Iterable<string>) => {
    const out = new Map<string, number[]>([...ids].map((id) => [id, []]));
    for (const f of inflight) out.get(key(f))?.push(f.ms);
    return [...out.values()];
  };
  /** No byte flows before the first setup ends. */
  const volume = (bytes: number, rateBps: number) => o + (bytes / rateBps) * 1000;

  // A group's members on one source land on distinct hosts too: what they send and how long they
  // hold its slots is at least the least total over such assignments (not each at its best host).
  const groupCost = (members: typeof vms, cost: (v: (typeof vms)[number], d: PlannerHost) => number) =>
    minSumAssignment(
      members.map((v) => new Map(feasible.fastest(v.vm, v.dests, members.length).map((d) => [d.id, cost(v, d)]))),
    );
  const bySource = new Map<string, typeof vms>();
  for (const v of vms) bySource.set(v.vm.hostId, [...(bySource.get(v.vm.hostId) ?? []), v]);
  for (const [src, mine] of bySource) {
    const out = inflight.filter((f) => f.sourceHostId === src);
    const rateBps = Math.min(nic(src), k * b);
    let bytes = mine.reduce((s, v) => s + v.bytes, 0);
    let slotNeed = mine.reduce((s, v) => s + o + v.ms, 0);
    const together = new Map<string, typeof vms>();
    for (const v of mine)
      if (v.vm.antiAffinityGroup)
        together.set(v.vm.antiAffinityGroup, [...(together.get(v.vm.antiAffinityGroup) ?? []), v]);
    for (const members of together.values()) {
      if (members.length < 2) continue;
      const sent = groupCost(members, (v, d) => at(v.vm, rateInto(v.vm, d)).bytes);
      const held = groupCost(members, (v, d) => o + at(v.vm, rateInto(v.vm, d)).ms);
      if (Number.isFinite(sent)) bytes += Math.max(0, sent - members.reduce((s, v) => s + v.bytes, 0));
      if (Number.isFinite(held)) slotNeed += Math.max(0, held - members.reduce((s, v) => s + o + v.ms, 0));
    }
    terms.push({
      kind: "source-link",
      ms: volume(bytes, rateBps),
      why: `${name(src)}'s link: ${gb(bytes)} (re-sends included) must cross it at ${gbps(rateBps)} at best, plus one setup`,
    });
    const ends = endsBy((f) => f.sourceHostId, [src]);
    const held = out.length > 0 ? ` (in-flight migrations hold ${out.length})` : "";
    terms.push({
      kind: "source-slots",
      ms: slotBound(slotNeed, k, ends),
      why: `${name(src)}'s ${k} outbound slot${k === 1 ? "" : "s"}${held}: each move holds one for its setup and transfer`,
    });
    // One stream gets at most the fastest link any of its VMs can have.
    const stream = Math.max(...mine.map((v) => v.rate));
    terms.push({
      kind: "source-flow",
      ms: sourceFlowBound(bytes, mine.length, o, k, nic(src), stream, ends[0] ?? []),
      why: `${name(src)}'s ${k} outbound slot${k === 1 ? "" : "s"}${held} and link together: ${gb(bytes)} at most ${gbps(stream)} per stream and ${gbps(nic(src))} in all, while each of its ${mine.length} moves' setups holds a slot sending nothing`,
    });
  }

  // Destination groups: each distinct eligible set, and the union of all of them. VMs share their
  // eligible lists (one per source class and vCPU count), so subsets are decided once per pair.
  const lists = [...new Set(vms.map((v) => v.dests))];
  const all = [...new Map(lists.flatMap((l) => l.map((d) => [d.id, d] as const))).values()];
  const groups = new Map<string, readonly PlannerHost[]>();
  for (const l of [...lists, all])
    groups.set(
      l
        .map((h) => h.id)
        .sort()
        .join("\0"),
      l,
    );
  // Packing: each VM's feasible hosts (null past PACK_LIST: a VM with that many is forced nowhere small).
  const packed = new Map(
    vms.map((v) => {
      const f = feasible.fastest(v.vm, v.dests, PACK_LIST + 1);
      const p: PackVm = {
        id: v.vm.id,
        ramBytes: v.vm.memoryBytes,
        bytes: v.bytes,
        group: v.vm.antiAffinityGroup ?? null,
        feasible: f.length > PACK_LIST ? null : f,
      };
      return [v, p] as const;
    }),
  );
  const budget = { left: PACK_BUDGET };
  for (const hosts of groups.values()) {
    const ids = new Set(hosts.map((h) => h.id));
    const within = new Set(lists.filter((l) => l.every((d) => ids.has(d.id))));
    const inside = vms.filter((v) => within.has(v.dests));
    if (inside.length === 0) continue;
    const into = inflight.filter((f) => ids.has(f.destHostId));
    const rateBps = hosts.reduce((s, h) => s + ingress(h), 0);
    const bytes = inside.reduce((s, v) => s + v.bytes, 0);
    const what = `the ${hosts.length} host${hosts.length === 1 ? "" : "s"} ${inside.length} VM${inside.length === 1 ? "" : "s"} may go to`;
    terms.push({
      kind: "group-link",
      ms: volume(bytes, rateBps),
      why: `the ingress of ${what}: ${gb(bytes)} must land at ${gbps(rateBps)} at best, plus one setup`,
    });
    const slotMs = slotBound(
      inside.reduce((s, v) => s + o + v.ms, 0),
      ctx.maxIn,
      endsBy((f) => f.destHostId, ids),
    );
    const slots = ctx.maxIn * hosts.length;
    terms.push({
      kind: "group-slots",
      ms: slotMs,
      why: `the ${slots} inbound slot${slots === 1 ? "" : "s"} of ${what}${into.length > 0 ? ` (in-flight migrations hold ${into.length})` : ""}: each move holds one for its setup and transfer`,
    });
    const pack = packingBound(
      hosts,
      inside.map((v) => packed.get(v) as PackVm),
      [...packed.values()],
      (h) => feasible.freeBytes(h),
      ingress,
      o,
      budget,
    );
    if (pack) {
      const on =
        pack.into.length <= 3
          ? pack.into.map((h) => h.name).join(", ")
          : `${pack.into.length} of the ${hosts.length} hosts ${inside.length} VMs may go to`;
      const forced =
        pack.forced > 0 ? `${pack.forced} VM${pack.forced === 1 ? "" : "s"} can go nowhere else, and ` : "";
      terms.push({
        kind: "dest-packing",
        ms: pack.ms,
        why: `RAM: ${on} must take ${gb(pack.bytes)} (${forced}the other hosts' free RAM and anti-affinity cannot hold the rest) at ${gbps(pack.rateBps)} at best, plus one setup`,
      });
    }
  }

  if (vms.length === 0) return { lowerBoundMs: 0, binding: null, terms: [] };
  const binding = terms.reduce((m, t) => (t.ms > m.ms ? t : m));
  return { lowerBoundMs: binding.ms, binding, terms };
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
