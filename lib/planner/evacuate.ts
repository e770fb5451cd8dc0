// Evacuation planner (issue 5): every VM on the drained hosts gets a destination and a start slot,
// or is listed with the reason it cannot. A list scheduler over a fluid model of the links
// (evacuate-timeline.ts: max-min fair shares, durations from lib/migration/predict at the share).
// At every event (a setup or transfer ending, an in-flight migration ending) each source with a
// free outbound slot, longest next move first, offers the head of its queue (evacuate-context.ts:
// auto-converge, then moves that must run alone, then the rest; longest on its best link, LPT):
//  - destination: among those with room (RAM and vCPUs after every reservation of the plan and
//    every in-flight migration; never released during the plan, since sources are drained hosts),
//    anti-affinity, pre-checks and a free inbound slot, the earliest predicted finish, then the
//    fewest incoming streams, then the most free RAM (spreading, not piling onto one host);
//  - admission: its fair share must be good enough (C.3: sharing raises λ = D/B; a move shares a
//    link only if that costs less link time than running alone, so low-dirty moves are packed and
//    dirty ones run alone); no running move is pushed below that unless sharing beats waiting;
//  - a capped stream leaves part of the egress idle (b < B_src): a low-dirty "filler" move is
//    started rate-limited to exactly the leftover; an idle source waits for a better destination
//    when that finishes sooner. Pure: no I/O, no clock, deterministic for a given input.
import { type PlanContext, planContext, type Queued, sourceQueues } from "./evacuate-context";
import { type MoveClass, overlapPays, shareAcceptable } from "./evacuate-model";
import { packConstrainedFirst, packGreedy } from "./evacuate-pack";
import { DestinationIndex } from "./evacuate-index";
import { Ledger } from "./evacuate-place";
import { FluidTimeline, type Stream } from "./evacuate-timeline";
import { type Plan, type PlanInput, type PlannedMove, type PlannerHost, stillToArrive } from "./evacuate-types";
import { boundedPlan } from "./tight-bound";

export * from "./evacuate-types";
export { planContext } from "./evacuate-context";

type Running = { cls: MoveClass; stream: Stream; move: PlannedMove };

/**
 * The plan: scheduled with a free choice of destinations, sources offering longest move first; if
 * that leaves VMs out for want of room, also with sources in name order, and with every VM pinned
 * to a packing's host (greedy or most constrained first: the scheduler picks hosts for speed, not
 * fit). Kept: the plan that places more, then (leaving out the same VMs) finishes sooner.
 */
export function planEvacuation(input: PlanInput): Plan {
  const lpt = schedule(input, planContext(input), true);
  if (!forRoom(lpt)) return lpt;
  const free = better(lpt, schedule(input, planContext(input), false));
  const ctx = planContext(input);
  const pinned = [packGreedy(input, ctx), packConstrainedFirst(input, ctx) ?? new Map()].reduce((a, b) =>
    b.size > a.size ? b : a,
  );
  if (
    free.moves.length > pinned.size ||
    (free.moves.length === pinned.size && free.unplaced.some((u) => pinned.has(u.vmId)))
  )
    return free;
  const left = ctx.queued.filter((q) => !pinned.has(q.cls.vm.id));
  ctx.queued.splice(0, ctx.queued.length, ...ctx.queued.filter((q) => pinned.has(q.cls.vm.id)));
  for (const q of ctx.queued) q.dests = q.dests.filter((d) => d.id === pinned.get(q.cls.vm.id));
  const packed = schedule(input, ctx, true);
  for (const { cls } of left)
    packed.unplaced.push({
      vmId: cls.vm.id,
      vmName: cls.vm.name,
      reason:
        free.unplaced.find((u) => u.vmId === cls.vm.id)?.reason ??
        `left out so that more VMs fit: with it, ${pinned.size - free.moves.length} fewer could be placed`,
    });
  return better(packed, free);
}

const forRoom = (p: Plan) => p.unplaced.some((u) => /^no destination (has room|with room)/.test(u.reason));
const better = (a: Plan, b: Plan) =>
  a.moves.length > b.moves.length || (a.moves.length === b.moves.length && a.makespanMs < b.makespanMs) ? a : b;

function schedule(input: PlanInput, ctx: PlanContext, longestFirst: boolean): Plan {
  const { model, overheadMs, maxOut, maxIn, unplaced, classAt } = ctx;
  const ledger = new Ledger(input.hosts);
  const index = new DestinationIndex(input.hosts, ledger);
  const timeline = new FluidTimeline(ctx.nic);
  const outbound = new Map<string, number>();
  const inbound = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
  const bumpIn = (k: string, d: number) => {
    bump(inbound, k, d);
    index.setBusy(ctx.byId.get(k), (inbound.get(k) ?? 0) > 0);
  };

  input.inflight.forEach((f, i) => {
    index.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
    if (f.remainingMs <= 0) return;
    timeline.add({
      id: `inflight:${i}`,
      src: f.sourceHostId,
      dst: f.destHostId,
      capBps: ctx.cap,
      startMs: 0,
      setupEndMs: 0,
      transferMs: null,
      fixedEndMs: f.remainingMs,
    });
    bump(outbound, f.sourceHostId, 1);
    bumpIn(f.destHostId, 1);
  });

  const queues = sourceQueues(ctx);
  const sources = [...queues.keys()].sort();
  /** Sources with a queue and a free outbound slot: only they can start anything at an event. */
  const canOffer = (src: string) => (queues.get(src)?.length ?? 0) > 0 && (outbound.get(src) ?? 0) < maxOut;
  const offering = new Set(sources.filter(canOffer));

  const running = new Map<string, Running>();
  const runningFrom = new Map<string, Set<Running>>();
  const moves: PlannedMove[] = [];

  /**
   * Shares with a hypothetical stream src→dst (capped at `capBps`): its own share must be good enough
   * for it (with `convergeOnly`, merely converge), and no running move it slows down may drop below
   * what it needs (always strict: a running move is never sacrificed). Returns its share, or null.
   */
  const admissible = (
    c: MoveClass,
    dest: PlannerHost,
    convergeOnly: boolean,
    capBps: number,
    before: ReadonlyMap<string, number>,
  ): number | null => {
    const id = "candidate";
    const sh = timeline.candidateShares(id, c.vm.hostId, dest.id, capBps);
    const bw = sh.get(id) ?? 0;
    // A filler (capped below the stream cap) must get all of its cap: that is what it was sized to.
    const full = capBps >= ctx.cap || bw >= capBps * (1 - 1e-6);
    if (!full || !shareAcceptable(model, c, bw, 1, overheadMs, convergeOnly)) return null;
    // Only the streams the candidate's NICs reach can change; in-flight ones are not ours to judge.
    for (const [sid, after] of sh) {
      const r = running.get(sid);
      if (!r || after >= (before.get(sid) ?? 0) * (1 - 1e-9)) continue;
      if (shareAcceptable(model, r.cls, after, 1 - timeline.progress(r.stream), overheadMs)) continue;
      if (
        !overlapPays(
          timeline.remainingMs(r.stream, new Map([[sid, after]])),
          timeline.remainingMs(r.stream, before),
          model.estimate(c.vm, bw, c.mode)?.ms,
          c.alone.ms,
          overheadMs,
        )
      )
        return null;
    }
    return bw;
  };

  const start = (c: MoveClass, dest: PlannerHost, capBps = ctx.cap) => {
    const vm = c.vm;
    index.reserve(dest.id, vm.memoryBytes, vm.vcpus, vm.antiAffinityGroup);
    bump(outbound, vm.hostId, 1);
    bumpIn(dest.id, 1);
    const now = timeline.now;
    const stream = timeline.add({
      id: `move:${vm.id}`,
      src: vm.hostId,
      dst: dest.id,
      capBps,
      startMs: now,
      setupEndMs: now + overheadMs,
      transferMs: (bw) => model.estimate(vm, bw, c.mode)?.ms ?? null,
    });
    const move: PlannedMove = {
      vmId: vm.id,
      vmName: vm.name,
      sourceHostId: vm.hostId,
      destHostId: dest.id,
      startMs: now,
      endMs: now,
      bandwidthBps: 0,
      ...(capBps < ctx.cap ? { maxBandwidthBps: Math.floor(capBps) } : {}),
      autoConverge: c.mode === "auto-converge",
      lambda: 0,
      order: moves.length,
    };
    moves.push(move);
    const r = { cls: c, stream, move };
    running.set(stream.id, r);
    runningFrom.set(vm.hostId, (runningFrom.get(vm.hostId) ?? new Set()).add(r));
  };

  /**
   * The destination for `q` among those with room and a free inbound slot that admit it, each with
   * the mode that link needs (plain, else auto-converge if the policy allows it; a filler must run
   * plain): the earliest predicted finish (a faster or less busy ingress; 1 % buckets), then the
   * fewest incoming streams, then the most free RAM after reservations (spreading), then the id.
   * Asked of the first idle host with room per bucket (evacuate-index.ts: the rest of an idle bucket
   * cannot beat it), then of busy hosts only where they could: a busy host's share is at most an
   * idle one's of the same NIC speed, and it has more incoming streams.
   */
  const pickDest = (
    q: Queued,
    convergeOnly: boolean,
    capBps = ctx.cap,
  ): { d: PlannerHost; ms: number; c: MoveClass } | undefined => {
    let best: { d: PlannerHost; ms: number; c: MoveClass; key: number[] } | undefined;
    const before = timeline.shares(true);
    const consider = (d: PlannerHost): boolean => {
      const c = classAt(q, d);
      if (!c || (capBps < ctx.cap && c.mode !== "plain")) return false;
      const bw = admissible(c, d, convergeOnly, capBps, before);
      if (bw === null) return false;
      const ms = model.estimate(c.vm, bw, c.mode)?.ms ?? Number.POSITIVE_INFINITY;
      const key = [Math.round(Math.log1p(ms) * 100), inbound.get(d.id) ?? 0, -ledger.freeBytes(d)];
      const i = best ? key.findIndex((k, j) => k !== best?.key[j]) : 0;
      if (!best || (i >= 0 && (key[i] as number) < (best.key[i] as number)) || (i < 0 && d.id < best.d.id))
        best = { d, ms, c, key };
      return true;
    };
    let idleNic = Number.NEGATIVE_INFINITY;
    for (const d of index.firstWithRoom(q.cls.vm, q.dests, (h) => index.busy.has(h)))
      if (consider(d)) idleNic = Math.max(idleNic, d.nicBps);
    for (const d of index.busy) {
      if (
        d.nicBps <= idleNic ||
        (inbound.get(d.id) ?? 0) >= maxIn ||
        d.id === q.cls.vm.hostId ||
        !index.eligible(q.dests, d)
      )
        continue;
      if (ledger.room(q.cls.vm, d) === "ok") consider(d);
    }
    return best;
  };

  /**
   * Earliest-finish rule: starting now on the best free destination can be slower than waiting for
   * a better one that other sources' streams occupy (a faster NIC, an ingress about to free up).
   * Asked only for an idle source (its own link is then free); wait when that finishes ≥ 10 % sooner.
   */
  const betterToWait = (q: Queued, nowMs: number): boolean => {
    const sh = timeline.shares(true);
    for (const d of index.busy) {
      if (d.id === q.cls.vm.hostId || !index.eligible(q.dests, d)) continue;
      const into = [...timeline.into(d.id)].filter((s) => s.src !== q.cls.vm.hostId);
      const c = into.length === 0 || ledger.room(q.cls.vm, d) !== "ok" ? null : classAt(q, d);
      if (!c) continue;
      const e = model.estimate(c.vm, c.bestBps, c.mode);
      const freeAt = Math.max(...into.map((s) => timeline.remainingMs(s, sh)));
      if (e && freeAt + overheadMs + e.ms < 0.9 * (overheadMs + nowMs)) return true;
    }
    return false;
  };

  /**
   * C.3 with b < B_src: the source's streams are held below its egress — by the per-stream cap, or
   * by their destinations' NICs (a 25 GbE source draining into 10 GbE hosts) — and leave part of it
   * unused, while an equal-share partner would slow them down (more dirty re-sends). Fill the rest
   * with a low-dirty move capped at exactly the leftover (virsh migrate --bandwidth), largest that
   * still ends before the stream it rides along with, so the cap never outlives its reason.
   */
  const offerFiller = (src: string, list: Queued[]): boolean => {
    const mine = [...(runningFrom.get(src) ?? [])];
    if (mine.length === 0) return false;
    const sh = timeline.shares(true);
    const used = mine.reduce((x, r) => x + (sh.get(r.stream.id) ?? 0), 0);
    const link = ctx.nic.get(src) ?? Number.POSITIVE_INFINITY;
    const leftover = link - used;
    // Max-min fairness: an egress left unsaturated means every stream on it is held elsewhere.
    if (!(leftover > 0.05 * link) || !Number.isFinite(leftover)) return false;
    const left = (r: Running) =>
      Math.max(0, r.stream.setupEndMs - timeline.now) +
      (1 - timeline.progress(r.stream)) * (r.stream.transferMs?.(sh.get(r.stream.id) ?? 0) ?? Number.POSITIVE_INFINITY);
    const horizon = Math.min(...mine.map(left));
    for (let i = 0; i < list.length; i++) {
      const q = list[i] as Queued;
      if (q.cls.mode !== "plain") continue;
      const e = model.estimate(q.cls.vm, leftover, "plain");
      if (!e || overheadMs + e.ms > horizon) continue;
      const pick = pickDest(q, false, leftover);
      if (!pick) continue;
      start(pick.c, pick.d, leftover);
      list.splice(i, 1);
      return true;
    }
    return false;
  };

  /**
   * A VM that cannot start while its source is idle is blocked elsewhere (no destination with room,
   * a free slot and a link it converges on): it waits without holding its source's queue, and the
   * VMs behind it proceed (issue 17: one hot VM at the head used to leave a whole host unplaced).
   */
  const blocked = new Set<Queued>();

  /** Try to start a move of `src`'s queue (or a filler beside it); true if the queue changed. */
  const offer = (src: string): boolean => {
    const list = queues.get(src);
    if (!list || list.length === 0 || (outbound.get(src) ?? 0) >= maxOut) return false;
    // Reservations only grow during the plan (sources are drained hosts): no room now, no room ever.
    const full = list.findIndex((q) => !index.anyRoom(q.cls.vm, q.dests));
    if (full >= 0) {
      const vm = (list[full] as Queued).cls.vm;
      unplaced.push({ vmId: vm.id, vmName: vm.name, reason: ledger.noRoomReason(vm, (list[full] as Queued).dests) });
      list.splice(full, 1);
      return true;
    }
    const mine = [...(runningFrom.get(src) ?? [])];
    // An auto-converging head admitted beside the source's moves (overlapPays) before a filler takes the slot.
    const head = mine.length > 0 && list[0]?.cls.mode === "auto-converge" ? pickDest(list[0], false) : undefined;
    if (head) {
      start(head.c, head.d);
      list.shift();
      return true;
    }
    if (offerFiller(src, list)) return true;
    // Slots filled at the same instant would do their setup at the same time and, with equal
    // sizes, end together again: the link idles through every setup. Pairing the head with the
    // smallest move staggers them, so one's setup overlaps the other's transfer.
    const together = mine.length > 0 && mine.every((r) => r.stream.startMs === timeline.now);
    const order = together && list.length > 2 ? [list.length - 1, ...list.keys()] : [...list.keys()];
    for (const i of order) {
      const q = list[i] as Queued;
      // Never leave a source idle while a VM could converge somewhere (even if not ideally).
      const pick = pickDest(q, false) ?? (mine.length === 0 ? pickDest(q, true) : undefined);
      if (pick && mine.length === 0 && betterToWait(q, pick.ms)) return false;
      if (pick) {
        start(pick.c, pick.d);
        list.splice(i, 1);
        return true;
      }
      if (mine.length === 0) blocked.add(q);
      // The source's own moves keep it busy: wait for them unless this VM is blocked elsewhere.
      else if (!blocked.has(q) && !(together && i === list.length - 1)) return false;
    }
    return false;
  };

  /** Why a VM left when nothing runs and nothing can start: its own reason, never its neighbour's. */
  const leftReason = (q: Queued): string => {
    const roomy = q.dests.filter((d) => ledger.room(q.cls.vm, d) === "ok");
    if (roomy.length === 0) return ledger.noRoomReason(q.cls.vm, q.dests);
    const best = roomy.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
    const bw = Math.min(q.cls.linkBps, best.nicBps, ctx.cap);
    const policy = input.autoConvergeWhenNeeded
      ? ""
      : " Policy does not allow auto-converge: decide (auto-converge, post-copy or a longer max downtime).";
    return `no destination with room lets it converge (the fastest, ${best.name}, gives it at most its link alone): ${model.explain(q.cls.vm, bw, "plain")}${policy}`;
  };

  /** LPT across sources too: the source whose next move is longest offers first (then by id). */
  const headMs = (src: string) => (longestFirst ? (queues.get(src)?.[0]?.cls.alone.ms ?? 0) : 0);
  const longestHeadFirst = (a: string, b: string) => headMs(b) - headMs(a) || (a < b ? -1 : a > b ? 1 : 0);

  for (;;) {
    for (let changed = true; changed; ) {
      changed = false;
      for (const src of [...offering].sort(longestHeadFirst)) {
        while (offer(src)) changed = true;
        if (!canOffer(src)) offering.delete(src);
      }
    }
    const ended = timeline.step();
    if (ended === null) {
      // Nothing runs and nothing could start: what is left cannot converge on any destination that
      // still has room (their links are slower than it needs), or no longer fits anywhere.
      for (const src of sources)
        for (const q of queues.get(src)?.splice(0) ?? []) {
          const u = { vmId: q.cls.vm.id, vmName: q.cls.vm.name, reason: leftReason(q) };
          unplaced.push(u);
          if (!input.autoConvergeWhenNeeded && !u.reason.startsWith("no destination has room")) ctx.flagged.push(u);
        }
      for (const r of running.values()) r.move.endMs = Number.POSITIVE_INFINITY; // cannot happen: admission keeps every share converging
      break;
    }
    for (const s of ended) {
      bump(outbound, s.src, -1);
      if (canOffer(s.src)) offering.add(s.src);
      bumpIn(s.dst, -1);
      const r = running.get(s.id);
      if (!r) continue;
      running.delete(s.id);
      runningFrom.get(s.src)?.delete(r);
      r.move.endMs = s.endMs ?? timeline.now;
      r.move.bandwidthBps = s.transferredMs > 0 ? s.bwMs / s.transferredMs : r.cls.bestBps;
      r.move.lambda = r.move.bandwidthBps > 0 ? r.cls.vm.dirtyRateBps / r.move.bandwidthBps : 0;
    }
  }

  return boundedPlan(input, moves, unplaced, ctx.flagged);
}
