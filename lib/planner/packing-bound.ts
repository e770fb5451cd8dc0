// The destination-packing term of the tight bound (issue 17): RAM decides where bytes must land.
// For a CPU-eligible destination group E split into S and the rest R, the bytes that must enter S
// are at least
//  - every VM whose feasible hosts all lie in S (feasible-dests.ts: CPU, RAM, vCPUs, anti-affinity
//    after in-flight moves), wherever its source; plus
//  - the cheapest way, in bytes, for the VMs that may only go to E to put into S the RAM R cannot
//    hold (Σ their RAM − R's free RAM), with at least |members| − |R's hosts they may use| of each
//    anti-affinity group in S (each host takes one). That least is bounded from below by its
//    Lagrangian relaxation (RAM constraint priced at λ, the best λ by bisection on a concave
//    function; groups solved exactly for a given λ), so any λ gives a valid bound.
// Then T ≥ setup + those bytes ÷ S's ingress. S: the hosts with the most free RAM (the rest cannot
// hold what is left), or the slowest (what the fast ones cannot hold goes slowly). Pure.
import type { PlannerHost } from "./evacuate-types";

export type PackVm = {
  id: string;
  ramBytes: number;
  /** Bytes it sends at best (re-sends included). */
  bytes: number;
  group: string | null;
  /** Its feasible hosts, or null when it has too many to list (then never forced anywhere). */
  feasible: readonly PlannerHost[] | null;
};
/** S: `into`, its ingress, the bytes that must land there, how many VMs can go nowhere else. */
export type PackingTerm = { ms: number; bytes: number; into: PlannerHost[]; rateBps: number; forced: number };

/**
 * The strongest packing term over the splits of `group` tried. `inside`: the VMs whose eligible
 * destinations all lie in `group`; `all`: every VM moved (those forced into S count wherever from).
 */
export function packingBound(
  group: readonly PlannerHost[],
  inside: readonly PackVm[],
  all: readonly PackVm[],
  freeBytes: (h: PlannerHost) => number,
  ingressBps: (h: PlannerHost) => number,
  setupMs: number,
  /** Lagrangian solves left (each O(n log n)); once spent, splits count only their forced VMs. */
  budget: { left: number },
): PackingTerm | null {
  if (group.length < 2 || all.length === 0) return null;
  const byFree = [...group].sort((a, b) => freeBytes(b) - freeBytes(a) || (a.id < b.id ? -1 : 1));
  const bySpeed = [...group].sort((a, b) => ingressBps(a) - ingressBps(b) || freeBytes(b) - freeBytes(a));
  let best: PackingTerm | null = null;
  for (const order of [byFree, bySpeed]) {
    const t = bestSplit(order, inside, all, freeBytes, ingressBps, setupMs, budget);
    if (t && (!best || t.ms > best.ms)) best = t;
  }
  return best;
}

function bestSplit(
  order: readonly PlannerHost[],
  inside: readonly PackVm[],
  all: readonly PackVm[],
  freeBytes: (h: PlannerHost) => number,
  ingressBps: (h: PlannerHost) => number,
  setupMs: number,
  budget: { left: number },
): PackingTerm | null {
  const pos = new Map(order.map((h, i) => [h.id, i]));
  const span = (v: PackVm) => {
    if (v.feasible === null || v.feasible.length === 0) return { first: 0, last: Number.POSITIVE_INFINITY };
    const p = v.feasible.map((h) => pos.get(h.id) ?? Number.POSITIVE_INFINITY);
    return { first: Math.min(...p), last: Math.max(...p) };
  };
  const at = new Map(all.map((v) => [v.id, span(v)]));
  const last = (v: PackVm) => at.get(v.id)?.last ?? Number.POSITIVE_INFINITY;
  // A VM is forced into S = order[0..j) when its last feasible host comes before j.
  const byLast = all.filter((v) => Number.isFinite(last(v))).sort((a, b) => last(a) - last(b));
  const insideIds = new Set(inside.map((v) => v.id));
  const insideRam = inside.reduce((s, v) => s + v.ramBytes, 0);
  const totalFree = order.reduce((s, h) => s + Math.max(0, freeBytes(h)), 0);
  // From which split on a group may have to put a member into S: R's hosts it may use < members.
  let groupsFrom = Number.POSITIVE_INFINITY;
  const members = new Map<string, PackVm[]>();
  for (const v of inside) if (v.group) members.set(v.group, [...(members.get(v.group) ?? []), v]);
  for (const m of members.values()) {
    if (m.length < 2) continue;
    const hosts = m.some((v) => v.feasible === null)
      ? order.map((_, i) => i)
      : [...new Set(m.flatMap((v) => (v.feasible ?? []).map((h) => pos.get(h.id) ?? -1)))];
    hosts.sort((a, b) => b - a);
    groupsFrom = Math.min(groupsFrom, hosts.length < m.length ? 1 : (hosts[m.length - 1] as number) + 1);
  }
  let best: PackingTerm | null = null;
  let sFree = 0;
  let sIngress = 0;
  let k = 0;
  let forcedBytes = 0;
  let forcedInsideRam = 0;
  for (let j = 1; j < order.length; j++) {
    const h = order[j - 1] as PlannerHost;
    sFree += Math.max(0, freeBytes(h));
    sIngress += ingressBps(h);
    for (; k < byLast.length && last(byLast[k] as PackVm) < j; k++) {
      const v = byLast[k] as PackVm;
      forcedBytes += v.bytes;
      if (insideIds.has(v.id)) forcedInsideRam += v.ramBytes;
    }
    const need = insideRam - forcedInsideRam - (totalFree - sFree);
    let bytes = forcedBytes;
    if ((need > 0 || j >= groupsFrom) && budget.left > 0) {
      budget.left--;
      const rest = inside.filter((v) => last(v) >= j);
      const inS = (v: PackVm) => (at.get(v.id)?.first ?? 0) < j;
      bytes += cheapestFill(rest.filter(inS), need, mustEnter(rest, inS, j, pos, order.length));
    }
    if (bytes <= 0 || !(sIngress > 0)) continue;
    const ms = setupMs + (bytes / sIngress) * 1000;
    if (!best || ms > best.ms) best = { ms, bytes, into: order.slice(0, j), rateBps: sIngress, forced: k };
  }
  return best;
}

type Need = { members: PackVm[]; atLeast: number };

/** Per anti-affinity group: how many of its members must enter S (R's usable hosts take one each). */
function mustEnter(
  rest: readonly PackVm[],
  inS: (v: PackVm) => boolean,
  j: number,
  pos: ReadonlyMap<string, number>,
  size: number,
): Need[] {
  const byGroup = new Map<string, PackVm[]>();
  for (const v of rest) if (v.group) byGroup.set(v.group, [...(byGroup.get(v.group) ?? []), v]);
  const out: Need[] = [];
  for (const members of byGroup.values()) {
    if (members.length < 2) continue;
    const inR = new Set<string>();
    let unknown = false;
    for (const v of members) {
      if (v.feasible === null) unknown = true;
      else for (const h of v.feasible) if ((pos.get(h.id) ?? -1) >= j) inR.add(h.id);
    }
    const atLeast = members.length - (unknown ? size - j : inR.size);
    const able = members.filter(inS);
    // Fewer able than required cannot happen in a real plan; relaxing it keeps the bound valid.
    if (atLeast > 0 && able.length >= atLeast) out.push({ members: able, atLeast });
  }
  return out;
}

/**
 * A lower bound on the bytes of a subset of `cands` holding ≥ `need` RAM with ≥ atLeast members of
 * each group: max over λ ≥ 0 of λ·need + min over subsets meeting the groups of Σ (bytes − λ·RAM).
 */
export function cheapestFill(cands: readonly PackVm[], need: number, groups: readonly Need[]): number {
  const inGroup = new Set(groups.flatMap((g) => g.members.map((v) => v.id)));
  const free = cands.filter((v) => !inGroup.has(v.id));
  const L = (lambda: number) => {
    let s = lambda * Math.max(0, need);
    for (const v of free) s += Math.min(0, v.bytes - lambda * v.ramBytes);
    for (const g of groups) {
      const c = g.members.map((v) => v.bytes - lambda * v.ramBytes).sort((a, b) => a - b);
      c.forEach((x, i) => {
        s += i < g.atLeast ? x : Math.min(0, x);
      });
    }
    return s;
  };
  if (!(need > 0)) return Math.max(0, L(0));
  // L is concave and piecewise linear with breaks at bytes / RAM: its maximum is at one of them.
  const breaks = [0, ...new Set(cands.filter((v) => v.ramBytes > 0).map((v) => v.bytes / v.ramBytes))].sort(
    (a, b) => a - b,
  );
  let lo = 0;
  let hi = breaks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (L(breaks[mid + 1] as number) > L(breaks[mid] as number)) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, L(breaks[lo] as number));
}
