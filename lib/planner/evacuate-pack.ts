// How many VMs fit at all, ignoring time: a greedy packing in the input order, each VM to the host
// with the most free RAM after every reservation among those with room on which it converges (the
// serial baseline's rule, which also tries the next host when the first is too slow for it).
// The scheduler picks destinations for speed and can pack worse than this; when it does, the plan
// is redone with each VM pinned to its packed host, so no VM the packing places is left out
// (issue 17: the plan never places fewer than the serial baseline). Pure.
import type { PlanContext } from "./evacuate-context";
import { Ledger } from "./evacuate-place";
import { type PlanInput, stillToArrive } from "./evacuate-types";

/** vmId → destination id, for every VM the packing places. */
export function packGreedy(input: PlanInput, ctx: PlanContext): Map<string, string> {
  const ledger = new Ledger(input.hosts);
  for (const f of input.inflight) ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  const out = new Map<string, string>();
  for (const q of ctx.queued) {
    const vm = q.cls.vm;
    let best: (typeof q.dests)[number] | undefined;
    for (const d of q.dests) {
      if (ledger.room(vm, d) !== "ok" || !ctx.classAt(q, d)) continue;
      if (!best || ledger.freeBytes(d) > ledger.freeBytes(best)) best = d;
    }
    if (!best) continue;
    ledger.reserve(best.id, vm.memoryBytes, vm.vcpus, vm.antiAffinityGroup);
    out.set(vm.id, best.id);
  }
  return out;
}

/**
 * Most constrained first: at each step the VM with the fewest hosts that still take it (ties: the
 * most RAM), to the one of them with the least free RAM (best fit). Anti-affinity and tight hosts
 * defeat the input-order packing: one group member on the big host leaves the next only small ones
 * (issue 17's uneven fleet: 21 where 22 fit). Quadratic (every VM's hosts re-counted per step), so
 * only for fleets under ~20 M room checks; null beyond.
 */
export function packConstrainedFirst(input: PlanInput, ctx: PlanContext): Map<string, string> | null {
  const left = [...ctx.queued];
  if (left.length * left.reduce((s, q) => s + q.dests.length, 0) > 2e7) return null;
  const ledger = new Ledger(input.hosts);
  for (const f of input.inflight) ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  const out = new Map<string, string>();
  for (;;) {
    let pick: { i: number; hosts: PlanContext["queued"][number]["dests"] } | undefined;
    left.forEach((q, i) => {
      const hosts = q.dests.filter((d) => ledger.room(q.cls.vm, d) === "ok" && ctx.classAt(q, d) !== null);
      const better = !pick || hosts.length < pick.hosts.length || (hosts.length === pick.hosts.length && q.cls.vm.memoryBytes > (left[pick.i]?.cls.vm.memoryBytes ?? 0));
      if (hosts.length > 0 && better) pick = { i, hosts };
    });
    if (!pick) return out;
    const vm = (left.splice(pick.i, 1)[0] as PlanContext["queued"][number]).cls.vm;
    const dest = pick.hosts.reduce((a, d) => (ledger.freeBytes(d) < ledger.freeBytes(a) ? d : a));
    ledger.reserve(dest.id, vm.memoryBytes, vm.vcpus, vm.antiAffinityGroup);
    out.set(vm.id, dest.id);
  }
}
