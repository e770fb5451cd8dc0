// An upper bound on how many VMs any plan can place: a VM counts if, alone, it has a destination
// that passes the pre-checks, has its RAM and vCPUs free after the in-flight migrations, does not
// hold its anti-affinity group, and on whose link it converges. Placing them all at once is bin
// packing (no exact count at fleet scale), so a baseline's count is no bound: serial-one-at-a-time
// packs by most free RAM in input order and can leave out a VM another order fits (issue 17's
// "22 of 21 placeable"). When a plan places this many, no placeable VM was left out. Pure.
import { planContext } from "./evacuate-context";
import { Ledger } from "./evacuate-place";
import { type PlanInput, stillToArrive } from "./evacuate-types";

export function placeableBound(input: PlanInput): number {
  const ctx = planContext(input);
  const ledger = new Ledger(input.hosts);
  for (const f of input.inflight) ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  return ctx.queued.filter((q) => q.dests.some((d) => ledger.room(q.cls.vm, d) === "ok" && ctx.classAt(q, d) !== null))
    .length;
}
