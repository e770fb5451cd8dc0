// Destinations indexed for the scheduler (issue 17: planning 5,000 VMs scanned every eligible host
// per VM per offer, ≈ n² per event). Hosts are bucketed by static class (what the pre-checks look
// at: CPU model, libvirt, cores, state) and NIC speed, each bucket sorted by free RAM after
// reservations, most first. Two facts make a bucket's first host with room the only one worth
// asking about: static eligibility is the same for a whole class, and a destination nothing flows
// into gives a new stream the same share as any other idle one of its NIC speed — so among idle
// hosts of a bucket the scheduler's rule (earliest finish, then fewest incoming, then most free
// RAM, then id) always picks the first with room. Hosts receiving streams ("busy", at most two
// per running move) are looked at one by one. Pure.
import type { PlannerHost, PlannerVm } from "./evacuate-types";
import type { Ledger } from "./evacuate-place";

const byFreeThenId = (ledger: Ledger) => (a: PlannerHost, b: PlannerHost) =>
  ledger.freeBytes(b) - ledger.freeBytes(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class DestinationIndex {
  private readonly buckets = new Map<string, PlannerHost[]>();
  private readonly bucketOf = new Map<string, string>();
  /** Per eligible-destination list (shared by every VM of a source class and vCPU count): its buckets. */
  private readonly lists = new WeakMap<readonly PlannerHost[], { buckets: PlannerHost[][]; keys: Set<string> }>();
  private readonly order: (a: PlannerHost, b: PlannerHost) => number;
  /** Hosts something flows into (the scheduler keeps this in step with its inbound counts). */
  readonly busy = new Set<PlannerHost>();

  constructor(
    hosts: readonly PlannerHost[],
    private readonly ledger: Ledger,
  ) {
    this.order = byFreeThenId(ledger);
    for (const h of hosts) {
      const key = [h.cpuModel, h.libvirtVersion, h.cores, h.state, h.nicBps].join("\0");
      this.bucketOf.set(h.id, key);
      const b = this.buckets.get(key);
      if (b) b.push(h);
      else this.buckets.set(key, [h]);
    }
    for (const b of this.buckets.values()) b.sort(this.order);
  }

  /** Reserve on the ledger and keep the host's bucket sorted. */
  reserve(hostId: string, memoryBytes: number, vcpus: number, group: string | null | undefined): void {
    const key = this.bucketOf.get(hostId);
    const b = key === undefined ? undefined : this.buckets.get(key);
    const i = b ? b.findIndex((h) => h.id === hostId) : -1;
    const h = b && i >= 0 ? b.splice(i, 1)[0] : undefined;
    this.ledger.reserve(hostId, memoryBytes, vcpus, group);
    if (!b || !h) return;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.order(b[mid] as PlannerHost, h) < 0) lo = mid + 1;
      else hi = mid;
    }
    b.splice(lo, 0, h);
  }

  setBusy(h: PlannerHost | undefined, busy: boolean): void {
    if (!h) return;
    if (busy) this.busy.add(h);
    else this.busy.delete(h);
  }

  private of(dests: readonly PlannerHost[]) {
    let hit = this.lists.get(dests);
    if (!hit) {
      const keys = new Set(dests.map((d) => this.bucketOf.get(d.id) as string));
      hit = { keys, buckets: [...keys].map((k) => this.buckets.get(k) ?? []) };
      this.lists.set(dests, hit);
    }
    return hit;
  }

  /** Is `h` one of `dests` (same class as one of them: eligibility is per class)? */
  eligible(dests: readonly PlannerHost[], h: PlannerHost): boolean {
    return this.of(dests).keys.has(this.bucketOf.get(h.id) as string);
  }

  /**
   * Per bucket of `dests`, the host with the most free RAM that has room for `vm` and is not
   * skipped. Buckets are sorted by free RAM, so the scan stops at the first host short of RAM.
   */
  *firstWithRoom(
    vm: PlannerVm,
    dests: readonly PlannerHost[],
    skip?: (h: PlannerHost) => boolean,
  ): Generator<PlannerHost> {
    for (const b of this.of(dests).buckets) {
      for (const h of b) {
        const r = this.ledger.room(vm, h);
        if (r === "ram") break;
        if (r !== "ok" || h.id === vm.hostId || skip?.(h)) continue;
        yield h;
        break;
      }
    }
  }

  /** Does any of `dests` have room for `vm`? */
  anyRoom(vm: PlannerVm, dests: readonly PlannerHost[]): boolean {
    return !this.firstWithRoom(vm, dests).next().done;
  }
}
