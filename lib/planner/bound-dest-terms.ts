// The tight bound's terms per destination group (tight-bound.ts): its ingress, its inbound slots,
// and what RAM forces onto part of it (packing-bound.ts). Pure.
import { type BoundKit, type BoundTerm, type BoundVm, gb, gbps } from "./bound-kit";
import type { PlannerHost } from "./evacuate-types";
import { type PackVm, packingBound } from "./packing-bound";
import { slotBound } from "./slot-bound";

/** Feasible hosts listed per VM for the packing term, and the splits it may try per bound. */
const PACK_LIST = 64;
const PACK_BUDGET = 64;

/** The terms of every destination group, in the order destGroups lists them. */
export function destTerms(kit: BoundKit, vms: BoundVm[]): BoundTerm[] {
  const lists = [...new Set(vms.map((v) => v.dests))];
  const packed = packVms(kit, vms);
  const budget = { left: PACK_BUDGET };
  const terms: BoundTerm[] = [];
  for (const hosts of destGroups(lists)) {
    const ids = new Set(hosts.map((h) => h.id));
    const within = new Set(lists.filter((l) => l.every((d) => ids.has(d.id))));
    const inside = vms.filter((v) => within.has(v.dests));
    if (inside.length === 0) continue;
    terms.push(...ingressTerms(kit, hosts, ids, inside));
    const pack = packingTerm(kit, hosts, inside, packed, budget);
    if (pack) terms.push(pack);
  }
  return terms;
}

/**
 * Each distinct eligible set, and the union of all of them. VMs share their eligible lists (one
 * per source class and vCPU count), so subsets are decided once per pair.
 */
function destGroups(lists: (readonly PlannerHost[])[]): (readonly PlannerHost[])[] {
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
  return [...groups.values()];
}

/** Each VM's feasible hosts (null past PACK_LIST: a VM with that many is forced nowhere small). */
function packVms(kit: BoundKit, vms: BoundVm[]): Map<BoundVm, PackVm> {
  return new Map(
    vms.map((v) => {
      const f = kit.feasible.fastest(v.vm, v.dests, PACK_LIST + 1);
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
}

function ingressTerms(kit: BoundKit, hosts: readonly PlannerHost[], ids: Set<string>, inside: BoundVm[]): BoundTerm[] {
  const into = kit.inflight.filter((f) => ids.has(f.destHostId));
  const rateBps = hosts.reduce((s, h) => s + kit.ingress(h), 0);
  const bytes = inside.reduce((s, v) => s + v.bytes, 0);
  const what = `the ${hosts.length} host${hosts.length === 1 ? "" : "s"} ${inside.length} VM${inside.length === 1 ? "" : "s"} may go to`;
  const slotMs = slotBound(
    inside.reduce((s, v) => s + kit.o + v.ms, 0),
    kit.ctx.maxIn,
    kit.endsBy((f) => f.destHostId, ids),
  );
  const slots = kit.ctx.maxIn * hosts.length;
  return [
    {
      kind: "group-link",
      ms: kit.volume(bytes, rateBps),
      why: `the ingress of ${what}: ${gb(bytes)} must land at ${gbps(rateBps)} at best, plus one setup`,
    },
    {
      kind: "group-slots",
      ms: slotMs,
      why: `the ${slots} inbound slot${slots === 1 ? "" : "s"} of ${what}${into.length > 0 ? ` (in-flight migrations hold ${into.length})` : ""}: each move holds one for its setup and transfer`,
    },
  ];
}

function packingTerm(
  kit: BoundKit,
  hosts: readonly PlannerHost[],
  inside: BoundVm[],
  packed: Map<BoundVm, PackVm>,
  budget: { left: number },
): BoundTerm | null {
  const pack = packingBound(
    hosts,
    inside.map((v) => packed.get(v) as PackVm),
    [...packed.values()],
    (h) => kit.feasible.freeBytes(h),
    kit.ingress,
    kit.o,
    budget,
  );
  if (!pack) return null;
  const on =
    pack.into.length <= 3
      ? pack.into.map((h) => h.name).join(", ")
      : `${pack.into.length} of the ${hosts.length} hosts ${inside.length} VMs may go to`;
  const forced = pack.forced > 0 ? `${pack.forced} VM${pack.forced === 1 ? "" : "s"} can go nowhere else, and ` : "";
  return {
    kind: "dest-packing",
    ms: pack.ms,
    why: `RAM: ${on} must take ${gb(pack.bytes)} (${forced}the other hosts' free RAM and anti-affinity cannot hold the rest) at ${gbps(pack.rateBps)} at best, plus one setup`,
  };
}
