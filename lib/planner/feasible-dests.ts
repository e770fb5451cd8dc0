// Where a VM could ever land, for the tight lower bound: its CPU-eligible destinations that, with
// nothing else of the plan on them, have its RAM and vCPUs free after the in-flight migrations and
// do not already hold its anti-affinity group. A plan's reservations only add to these (sources
// are drained hosts), so a host failing this never takes the VM in any plan. Hosts are scanned
// fastest NIC first: a VM's time alone only grows as its link slows, so the first n feasible hosts
// are its n best. The planner's queues order and classify VMs by their best such link. Pure.
import { Ledger } from "./evacuate-place";
import { type PlanInput, type PlannerHost, type PlannerVm, stillToArrive } from "./evacuate-types";

export class FeasibleDests {
  private readonly ledger: Ledger;
  private readonly byNic = new WeakMap<readonly PlannerHost[], PlannerHost[]>();

  constructor(input: PlanInput) {
    this.ledger = new Ledger(input.hosts);
    for (const f of input.inflight) this.ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  }

  /** Free RAM after the in-flight migrations (what no plan can exceed on that host). */
  freeBytes(h: PlannerHost): number {
    return this.ledger.freeBytes(h);
  }

  /** The VM's `n` fastest-NIC feasible destinations among its CPU-eligible `dests` (fewer if it has fewer). */
  fastest(vm: PlannerVm, dests: readonly PlannerHost[], n: number): PlannerHost[] {
    let sorted = this.byNic.get(dests);
    if (!sorted) {
      sorted = [...dests].sort((a, b) => b.nicBps - a.nicBps);
      this.byNic.set(dests, sorted);
    }
    const out: PlannerHost[] = [];
    for (const d of sorted) {
      if (out.length >= n) break;
      if (this.ledger.room(vm, d) === "ok") out.push(d);
    }
    return out;
  }
}

/**
 * The least T such that every member can be given a distinct host on which its cost is ≤ T (an
 * anti-affinity group's members land on distinct hosts): `costs[i]` maps member i's candidate hosts
 * to its cost there. Thresholds ascending, each tried with augmenting-path matching (Kuhn).
 */
export function bottleneckAssignment(costs: readonly ReadonlyMap<string, number>[]): number {
  const thresholds = [...new Set(costs.flatMap((c) => [...c.values()]))].sort((a, b) => a - b);
  for (const t of thresholds) {
    const owner = new Map<string, number>();
    const assign = (i: number, seen: Set<string>): boolean => {
      for (const [h, c] of costs[i] ?? []) {
        if (c > t || seen.has(h)) continue;
        seen.add(h);
        const o = owner.get(h);
        if (o === undefined || assign(o, seen)) {
          owner.set(h, i);
          return true;
        }
      }
      return false;
    };
    if (costs.every((_, i) => assign(i, new Set()))) return t;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The least total cost of giving every member a distinct host (`costs[i]`: member i's candidate
 * hosts → its cost there; a member's m cheapest hosts suffice, since the other m − 1 take at most
 * m − 1 of them). Exhaustive for groups of up to 6 (anti-affinity groups are small); above that
 * each member's cheapest host, which is no more than the true least total (still a lower bound).
 */
export function minSumAssignment(costs: readonly ReadonlyMap<string, number>[]): number {
  const cheapest = costs.reduce((s, c) => s + Math.min(...c.values()), 0);
  if (costs.length > 6) return cheapest;
  const used = new Set<string>();
  let best = Number.POSITIVE_INFINITY;
  const go = (i: number, sum: number): void => {
    if (sum >= best) return;
    if (i === costs.length) {
      best = sum;
      return;
    }
    for (const [h, c] of costs[i] ?? []) {
      if (used.has(h)) continue;
      used.add(h);
      go(i + 1, sum + c);
      used.delete(h);
    }
  };
  go(0, 0);
  return best;
}
