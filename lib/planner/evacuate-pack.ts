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
