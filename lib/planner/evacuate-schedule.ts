// One run of the evacuation list scheduler (evacuate.ts says what it decides and why), in phases:
// seed the in-flight migrations, then at every event let each source with a free outbound slot
// offer its queue (admission, destination choice, fillers), record the streams that ended, and
// when nothing runs and nothing can start, list what is left with its own reason. Pure.
import { rate } from "@/lib/migration/text";
import type { PlanContext, Queued } from "./evacuate-context";
import { sourceQueues } from "./evacuate-context";
import { type Pick as Choice, DestinationChoice, type Running } from "./evacuate-choose";
import { fillerRoom } from "./evacuate-filler";
import { DestinationIndex } from "./evacuate-index";
import { type MoveClass, switchAfterMs } from "./evacuate-model";
import { Ledger } from "./evacuate-place";
import { FluidTimeline, type Stream } from "./evacuate-timeline";
import { type Plan, type PlanInput, type PlannedMove, type PlannerHost, stillToArrive } from "./evacuate-types";

/** A pass's plan before its bound (computed once, for the pass the planner keeps). */
export type Schedule = Pick<Plan, "moves" | "unplaced" | "flagged" | "makespanMs">;

/**
 * How a pass differs: `widenFirst`, beside a source's own moves a VM that adds bandwidth goes
 * before one that would only split an ingress already full; `seen.split` is set when a pass
 * without it started such a splitting move (else a widenFirst pass would be the same plan).
 */
export type PassOptions = { widenFirst?: boolean; seen?: { split: boolean } };

/** The plan of one scheduling pass; `longestFirst`: sources offer longest next move first (LPT). */
export function schedule(input: PlanInput, ctx: PlanContext, longestFirst: boolean, opts: PassOptions = {}): Schedule {
  return new Scheduler(input, ctx, longestFirst, opts).run();
}

class Scheduler {
  private readonly ledger: Ledger;
  private readonly index: DestinationIndex;
  private readonly timeline: FluidTimeline;
  private readonly choose: DestinationChoice;
  private readonly outbound = new Map<string, number>();
  private readonly inbound = new Map<string, number>();
  private readonly queues: Map<string, Queued[]>;
  private readonly sources: string[];
  /** Sources with a queue and a free outbound slot: only they can start anything at an event. */
  private readonly offering: Set<string>;
  private readonly running = new Map<string, Running>();
  private readonly runningFrom = new Map<string, Set<Running>>();
  private readonly moves: PlannedMove[] = [];
  /**
   * A VM that cannot start while its source is idle is blocked elsewhere (no destination with room,
   * a free slot and a link it converges on): it waits without holding its source's queue, and the
   * VMs behind it proceed (issue 17: one hot VM at the head used to leave a whole host unplaced).
   */
  private readonly blocked = new Set<Queued>();

  constructor(
    private readonly input: PlanInput,
    private readonly ctx: PlanContext,
    private readonly longestFirst: boolean,
    private readonly opts: PassOptions,
  ) {
    this.ledger = new Ledger(input.hosts);
    this.index = new DestinationIndex(input.hosts, this.ledger);
    this.timeline = new FluidTimeline(ctx.nic);
    this.choose = new DestinationChoice(ctx, this.ledger, this.index, this.timeline, this.inbound, this.running);
    this.seedInflight();
    this.queues = sourceQueues(ctx);
    this.sources = [...this.queues.keys()].sort();
    this.offering = new Set(this.sources.filter((s) => this.canOffer(s)));
  }

  run(): Schedule {
    for (;;) {
      this.offerAll();
      const ended = this.timeline.step();
      if (ended === null) {
        this.leaveRest();
        break;
      }
      this.record(ended);
    }
    const makespanMs = this.moves.reduce((m, x) => Math.max(m, x.endMs), 0);
    return { moves: this.moves, unplaced: this.ctx.unplaced, flagged: this.ctx.flagged, makespanMs };
  }

  private bump(m: Map<string, number>, k: string, d: number): void {
    m.set(k, (m.get(k) ?? 0) + d);
  }

  private bumpIn(k: string, d: number): void {
    this.bump(this.inbound, k, d);
    this.index.setBusy(this.ctx.byId.get(k), (this.inbound.get(k) ?? 0) > 0);
  }

  private canOffer(src: string): boolean {
    return (this.queues.get(src)?.length ?? 0) > 0 && (this.outbound.get(src) ?? 0) < this.ctx.maxOut;
  }

  /** In-flight migrations hold their RAM still to arrive, their slots, and link until their predicted end. */
  private seedInflight(): void {
    this.input.inflight.forEach((f, i) => {
      this.index.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
      if (f.remainingMs <= 0) return;
      this.timeline.add({
        id: `inflight:${i}`,
        src: f.sourceHostId,
        dst: f.destHostId,
        capBps: this.ctx.cap,
        startMs: 0,
        setupEndMs: 0,
        transferMs: null,
        fixedEndMs: f.remainingMs,
      });
      this.bump(this.outbound, f.sourceHostId, 1);
      this.bumpIn(f.destHostId, 1);
    });
  }

  /** Each source that can, longest head first, offers until its queue stops changing; repeated until none does. */
  private offerAll(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const src of [...this.offering].sort((a, b) => this.longestHeadFirst(a, b))) {
        while (this.offer(src)) changed = true;
        if (!this.canOffer(src)) this.offering.delete(src);
      }
    }
  }

  /** LPT across sources too: the source whose next move is longest offers first (then by id). */
  private longestHeadFirst(a: string, b: string): number {
    const headMs = (src: string) => (this.longestFirst ? (this.queues.get(src)?.[0]?.cls.alone.ms ?? 0) : 0);
    return headMs(b) - headMs(a) || (a < b ? -1 : a > b ? 1 : 0);
  }

  /** Streams that ended free their slots; our moves get their end, average bandwidth and λ. */
  private record(ended: readonly Stream[]): void {
    for (const s of ended) {
      this.bump(this.outbound, s.src, -1);
      if (this.canOffer(s.src)) this.offering.add(s.src);
      this.bumpIn(s.dst, -1);
      const r = this.running.get(s.id);
      if (!r) continue;
      this.running.delete(s.id);
      this.runningFrom.get(s.src)?.delete(r);
      r.move.endMs = s.endMs ?? this.timeline.now;
      r.move.bandwidthBps = s.transferredMs > 0 ? s.bwMs / s.transferredMs : r.cls.bestBps;
      r.move.lambda = r.move.bandwidthBps > 0 ? r.cls.vm.dirtyRateBps / r.move.bandwidthBps : 0;
      if (r.cls.mode === "post-copy" || r.cls.mode === "suspend-at-end")
        r.move.switchAfterMs = Math.round(switchAfterMs(r.cls.vm, r.move.bandwidthBps));
    }
  }

  /**
   * Nothing runs and nothing could start: what is left cannot converge on any destination that
   * still has room (their links are slower than it needs), or no longer fits anywhere.
   */
  private leaveRest(): void {
    for (const src of this.sources)
      for (const q of this.queues.get(src)?.splice(0) ?? []) {
        const u = { vmId: q.cls.vm.id, vmName: q.cls.vm.name, reason: this.leftReason(q) };
        this.ctx.unplaced.push(u);
        if (!this.ctx.allowed.autoConverge && !u.reason.startsWith("no destination has room")) this.ctx.flagged.push(u);
      }
    for (const r of this.running.values()) r.move.endMs = Number.POSITIVE_INFINITY; // cannot happen: admission keeps every share converging
  }

  /** Why a VM left when nothing runs and nothing can start: its own reason, never its neighbour's. */
  private leftReason(q: Queued): string {
    const roomy = q.dests.filter((d) => this.ledger.room(q.cls.vm, d) === "ok");
    if (roomy.length === 0) return this.ledger.noRoomReason(q.cls.vm, q.dests);
    const best = roomy.reduce((a, d) => (d.nicBps > a.nicBps ? d : a));
    const bw = Math.min(q.cls.linkBps, best.nicBps, this.ctx.cap);
    return `no destination with room lets it converge (the fastest, ${best.name}, gives it at most its link alone, ${rate(bw)}). ${this.ctx.model.tried(q.cls.vm, bw, this.ctx.allowed)}.`;
  }

  /** Whether a start beside the source's own moves must be asked if it only splits a full ingress. */
  private splitCheck(): boolean {
    return this.opts.widenFirst === true || (this.opts.seen !== undefined && !this.opts.seen.split);
  }

  /** Try to start a move of `src`'s queue (or a filler beside it); true if the queue changed. */
  private offer(src: string): boolean {
    const list = this.queues.get(src);
    if (!list || list.length === 0 || (this.outbound.get(src) ?? 0) >= this.ctx.maxOut) return false;
    // Reservations only grow during the plan (sources are drained hosts): no room now, no room ever.
    const full = list.findIndex((q) => !this.index.anyRoom(q.cls.vm, q.dests));
    if (full >= 0) {
      const vm = (list[full] as Queued).cls.vm;
      this.ctx.unplaced.push({
        vmId: vm.id,
        vmName: vm.name,
        reason: this.ledger.noRoomReason(vm, (list[full] as Queued).dests),
      });
      list.splice(full, 1);
      return true;
    }
    const mine = [...(this.runningFrom.get(src) ?? [])];
    // An auto-converging head admitted beside the source's moves (overlapPays) before a filler takes the slot.
    const head =
      mine.length > 0 && list[0]?.cls.mode === "auto-converge" ? this.choose.pick(list[0], false) : undefined;
    if (head) {
      this.start(head.c, head.d);
      list.shift();
      return true;
    }
    if (this.offerFiller(src, list)) return true;
    // Slots filled at the same instant would do their setup at the same time and, with equal
    // sizes, end together again: the link idles through every setup. Pairing the head with the
    // smallest move staggers them, so one's setup overlaps the other's transfer.
    const together = mine.length > 0 && mine.every((r) => r.stream.startMs === this.timeline.now);
    const order = together && list.length > 2 ? [list.length - 1, ...list.keys()] : [...list.keys()];
    // widenFirst: a move that only splits a full ingress adds nothing now but holds a slot; beside
    // the source's own moves, a later VM that adds bandwidth (an idle destination) goes first.
    let splitting: { i: number; pick: Choice } | undefined;
    const go = (i: number, pick: Choice) => {
      this.start(pick.c, pick.d);
      list.splice(i, 1);
      return true;
    };
    for (const i of order) {
      const q = list[i] as Queued;
      // Never leave a source idle while a VM could converge somewhere (even if not ideally).
      const pick = this.choose.pick(q, false) ?? (mine.length === 0 ? this.choose.pick(q, true) : undefined);
      if (pick && mine.length === 0 && this.choose.betterToWait(q, pick.ms)) return false;
      const splits = pick && mine.length > 0 && !splitting && this.splitCheck() && this.choose.addsNothing(q, pick);
      if (splits && this.opts.seen) this.opts.seen.split = true;
      if (pick && splits && this.opts.widenFirst) splitting = { i, pick };
      else if (pick) return go(i, pick);
      else if (mine.length === 0) this.blocked.add(q);
      // The source's own moves keep it busy: wait for them unless this VM is blocked elsewhere.
      else if (!this.blocked.has(q) && !(together && i === list.length - 1)) break;
    }
    return splitting ? go(splitting.i, splitting.pick) : false;
  }

  /**
   * C.3 with b < B_src: the source's streams are held below its egress — by the per-stream cap, or
   * by their destinations' NICs (a 25 GbE source draining into 10 GbE hosts) — and leave part of it
   * unused, while an equal-share partner would slow them down (more dirty re-sends). Fill the rest
   * with a low-dirty move capped at exactly the leftover (virsh migrate --bandwidth), largest that
   * still ends before the stream it rides along with, so the cap never outlives its reason.
   */
  private offerFiller(src: string, list: Queued[]): boolean {
    const { timeline, ctx } = this;
    const room = fillerRoom(timeline, ctx.nic.get(src) ?? Number.POSITIVE_INFINITY, [
      ...(this.runningFrom.get(src) ?? []),
    ]);
    if (!room) return false;
    const { leftover, horizon } = room;
    for (let i = 0; i < list.length; i++) {
      const q = list[i] as Queued;
      if (q.cls.mode !== "plain") continue;
      const e = ctx.model.estimate(q.cls.vm, leftover, "plain");
      if (!e || ctx.overheadMs + e.ms > horizon) continue;
      const pick = this.choose.pick(q, false, leftover);
      if (!pick) continue;
      this.start(pick.c, pick.d, leftover);
      list.splice(i, 1);
      return true;
    }
    return false;
  }

  /** Reserve the destination, take both slots, and add the stream to the timeline from now. */
  private start(c: MoveClass, dest: PlannerHost, capBps = this.ctx.cap): void {
    const { ctx, timeline } = this;
    const vm = c.vm;
    this.index.reserve(dest.id, vm.memoryBytes, vm.vcpus, vm.antiAffinityGroup);
    this.bump(this.outbound, vm.hostId, 1);
    this.bumpIn(dest.id, 1);
    const now = timeline.now;
    const stream = timeline.add({
      id: `move:${vm.id}`,
      src: vm.hostId,
      dst: dest.id,
      capBps,
      startMs: now,
      setupEndMs: now + ctx.overheadMs,
      transferMs: (bw) => ctx.model.estimate(vm, bw, c.mode)?.ms ?? null,
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
      strategy: c.mode,
      lambda: 0,
      order: this.moves.length,
    };
    this.moves.push(move);
    const r = { cls: c, stream, move };
    this.running.set(stream.id, r);
    this.runningFrom.set(vm.hostId, (this.runningFrom.get(vm.hostId) ?? new Set()).add(r));
  }
}
