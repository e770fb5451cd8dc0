// The tight bound's terms per source host (tight-bound.ts): its link, its outbound slots, and both
// at once. Pure.
import { type BoundKit, type BoundTerm, type BoundVm, gb, gbps } from "./bound-kit";
import type { PlannerHost } from "./evacuate-types";
import { minSumAssignment } from "./feasible-dests";
import { slotBound, sourceFlowBound } from "./slot-bound";

/** The source terms of every host the plan moves VMs off, in first-seen order. */
export function sourceTerms(kit: BoundKit, vms: BoundVm[]): BoundTerm[] {
  const bySource = new Map<string, BoundVm[]>();
  for (const v of vms) bySource.set(v.vm.hostId, [...(bySource.get(v.vm.hostId) ?? []), v]);
  return [...bySource].flatMap(([src, mine]) => termsOfSource(kit, src, mine));
}

function termsOfSource(kit: BoundKit, src: string, mine: BoundVm[]): BoundTerm[] {
  const { o, k, nic, name } = kit;
  const out = kit.inflight.filter((f) => f.sourceHostId === src);
  const rateBps = Math.min(nic(src), k * kit.b);
  const { bytes, slotNeed } = sourceLoad(kit, mine);
  const ends = kit.endsBy((f) => f.sourceHostId, [src]);
  const held = out.length > 0 ? ` (in-flight migrations hold ${out.length})` : "";
  // One stream gets at most the fastest link any of its VMs can have.
  const stream = Math.max(...mine.map((v) => v.rate));
  return [
    {
      kind: "source-link",
      ms: kit.volume(bytes, rateBps),
      why: `${name(src)}'s link: ${gb(bytes)} (re-sends included) must cross it at ${gbps(rateBps)} at best, plus one setup`,
    },
    {
      kind: "source-slots",
      ms: slotBound(slotNeed, k, ends),
      why: `${name(src)}'s ${k} outbound slot${k === 1 ? "" : "s"}${held}: each move holds one for its setup and transfer`,
    },
    {
      kind: "source-flow",
      ms: sourceFlowBound(bytes, mine.length, o, k, nic(src), stream, ends[0] ?? []),
      why: `${name(src)}'s ${k} outbound slot${k === 1 ? "" : "s"}${held} and link together: ${gb(bytes)} at most ${gbps(stream)} per stream and ${gbps(nic(src))} in all, while each of its ${mine.length} moves' setups holds a slot sending nothing`,
    },
  ];
}

/**
 * What a source sends and how long its moves hold its slots. A group's members on one source land
 * on distinct hosts too, so theirs is at least the least total over such assignments (not each at
 * its best host).
 */
function sourceLoad(kit: BoundKit, mine: BoundVm[]): { bytes: number; slotNeed: number } {
  const { o, at, rateInto } = kit;
  let bytes = mine.reduce((s, v) => s + v.bytes, 0);
  let slotNeed = mine.reduce((s, v) => s + o + v.ms, 0);
  const together = new Map<string, BoundVm[]>();
  for (const v of mine)
    if (v.vm.antiAffinityGroup)
      together.set(v.vm.antiAffinityGroup, [...(together.get(v.vm.antiAffinityGroup) ?? []), v]);
  for (const members of together.values()) {
    if (members.length < 2) continue;
    const sent = groupCost(kit, members, (v, d) => at(v.vm, rateInto(v.vm, d)).bytes);
    const held = groupCost(kit, members, (v, d) => o + at(v.vm, rateInto(v.vm, d)).ms);
    if (Number.isFinite(sent)) bytes += Math.max(0, sent - members.reduce((s, v) => s + v.bytes, 0));
    if (Number.isFinite(held)) slotNeed += Math.max(0, held - members.reduce((s, v) => s + o + v.ms, 0));
  }
  return { bytes, slotNeed };
}

function groupCost(kit: BoundKit, members: BoundVm[], cost: (v: BoundVm, d: PlannerHost) => number): number {
  return minSumAssignment(
    members.map((v) => new Map(kit.feasible.fastest(v.vm, v.dests, members.length).map((d) => [d.id, cost(v, d)]))),
  );
}
