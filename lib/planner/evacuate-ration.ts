// Rationing the fastest hosts' RAM (issue 17, "hard VM at the head"): the scheduler picks each
// destination for the earliest finish of that one move, so a 16 GiB guest sending 2 GB takes the
// one 25 GbE host's RAM for a 0.8 s gain, and a guest with a 10 GB local disk, arriving later,
// crosses 10 GbE for 5 s more. When the fastest hosts cannot hold every VM that would gain from
// them, they are kept for the VMs that gain the most time per GiB of RAM (greedy, as a fractional
// knapsack would), up to their free RAM and one member per host of each anti-affinity group; the
// others may only go to slower hosts. The planner schedules this as one more candidate and keeps
// the better plan, so it never does worse. Pure.
import type { PlanContext } from "./evacuate-context";
import { Ledger } from "./evacuate-place";
import { type PlanInput, type PlannerHost, stillToArrive } from "./evacuate-types";

/** Per VM id, the destinations it keeps (only VMs kept off the fastest hosts); null: nothing to ration. */
export function rationFastHosts(input: PlanInput, ctx: PlanContext): Map<string, PlannerHost[]> | null {
  const active = input.hosts.filter((h) => h.state === "active");
  const top = Math.max(...active.map((h) => h.nicBps));
  const fast = new Set(active.filter((h) => h.nicBps === top).map((h) => h.id));
  if (fast.size === 0 || fast.size === active.length) return null;
  const ledger = new Ledger(input.hosts);
  for (const f of input.inflight) ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  const supply = active.filter((h) => fast.has(h.id)).reduce((s, h) => s + Math.max(0, ledger.freeBytes(h)), 0);
  if (ctx.queued.reduce((s, q) => s + q.cls.vm.memoryBytes, 0) <= supply) return null;
  const timeAt = (q: PlanContext["queued"][number], d: PlannerHost | undefined) => {
    const c = d && ctx.classAt(q, d);
    return c ? c.alone.ms : Number.POSITIVE_INFINITY;
  };
  const cands = ctx.queued.flatMap((q) => {
    const vm = q.cls.vm;
    const roomy = q.dests.filter((d) => d.id !== vm.hostId && ledger.room(vm, d) === "ok");
    const onFast = roomy.find((d) => fast.has(d.id));
    const slow = roomy.filter((d) => !fast.has(d.id));
    if (!onFast || slow.length === 0) return [];
    const best = slow.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
    const gain = timeAt(q, best) - timeAt(q, onFast);
    return gain > 0 ? [{ q, perGiB: gain / (vm.memoryBytes / 2 ** 30) }] : [];
  });
  if (cands.reduce((s, c) => s + c.q.cls.vm.memoryBytes, 0) <= supply) return null;
  cands.sort((a, b) => b.perGiB - a.perGiB || (a.q.cls.vm.id < b.q.cls.vm.id ? -1 : 1));
  let left = supply;
  const perGroup = new Map<string, number>();
  const offFast = new Map<string, PlannerHost[]>();
  for (const c of cands) {
    const vm = c.q.cls.vm;
    const g = vm.antiAffinityGroup;
    const n = g ? (perGroup.get(g) ?? 0) : 0;
    if (vm.memoryBytes <= left && n < fast.size) {
      left -= vm.memoryBytes;
      if (g) perGroup.set(g, n + 1);
    } else
      offFast.set(
        vm.id,
        c.q.dests.filter((d) => !fast.has(d.id)),
      );
  }
  return offFast.size > 0 ? offFast : null;
}
