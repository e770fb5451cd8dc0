// How many VMs fit at all, ignoring time: a greedy packing in the input order, each VM to the host
// with the most free RAM after every reservation among those with room on which it converges (the
// serial baseline's rule, which also tries the next host when the first is too slow for it).
// The scheduler picks destinations for speed and can pack worse than this; when it does, the plan
// is redone with each VM pinned to its packed host, so no VM the packing places is left out
// (issue 17: the plan never places fewer than the serial baseline). Pure.
import type { PlanContext } from "./evacuate-context";
import { Ledger } from "./evacuate-place";
import { type PlanInput, type PlannerHost, stillToArrive } from "./evacuate-types";

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
 * longest move, then the most RAM), to the one of them whose ingress is free soonest with it (the
 * pinned schedule runs what lands on one host through its NIC), then the least free RAM (best fit).
 * Anti-affinity and tight hosts defeat the input-order packing: one group member on the big host
 * leaves the next only small ones (issue 17's uneven fleet: the longest-first schedule placed 21
 * where 22 fit). Quadratic (every VM's hosts re-counted per step), so only for fleets under ~20 M
 * room checks; null beyond.
 */
export function packConstrainedFirst(input: PlanInput, ctx: PlanContext): Map<string, string> | null {
  const left = [...ctx.queued];
  if (left.length * left.reduce((s, q) => s + q.dests.length, 0) > 2e7) return null;
  const ledger = new Ledger(input.hosts);
  for (const f of input.inflight) ledger.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
  const out = new Map<string, string>();
  /** Per host, the time its ingress is busy with the VMs packed onto it (alone on its link). */
  const busy = new Map<string, number>();
  for (;;) {
    let pick: { i: number; hosts: PlanContext["queued"][number]["dests"] } | undefined;
    left.forEach((q, i) => {
      const hosts = q.dests.filter((d) => ledger.room(q.cls.vm, d) === "ok" && ctx.classAt(q, d) !== null);
      const p = pick && (left[pick.i] as PlanContext["queued"][number]).cls;
      const better =
        !pick ||
        !p ||
        hosts.length < pick.hosts.length ||
        (hosts.length === pick.hosts.length &&
          (q.cls.alone.ms > p.alone.ms || (q.cls.alone.ms === p.alone.ms && q.cls.vm.memoryBytes > p.vm.memoryBytes)));
      if (hosts.length > 0 && better) pick = { i, hosts };
    });
    if (!pick) return out;
    const q = left.splice(pick.i, 1)[0] as PlanContext["queued"][number];
    const ends = (d: PlannerHost) => (busy.get(d.id) ?? 0) + (ctx.classAt(q, d)?.alone.ms ?? 0);
    const dest = pick.hosts.reduce((a, d) =>
      ends(d) < ends(a) || (ends(d) === ends(a) && ledger.freeBytes(d) < ledger.freeBytes(a)) ? d : a,
    );
    busy.set(dest.id, ends(dest));
    ledger.reserve(dest.id, q.cls.vm.memoryBytes, q.cls.vm.vcpus, q.cls.vm.antiAffinityGroup);
    out.set(q.cls.vm.id, dest.id);
  }
}
