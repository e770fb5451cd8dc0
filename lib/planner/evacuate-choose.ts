// Where a VM of an evacuation can start now, for the scheduler (evacuate-schedule.ts): the
// destination among those with room and a free inbound slot whose link share is good enough for it
// and costs no running move what it needs (admission), and whether an idle source should rather
// wait for a better destination that other sources' streams occupy. Reads the scheduler's state,
// changes nothing. Pure.
import type { PlanContext, Queued } from "./evacuate-context";
import type { DestinationIndex } from "./evacuate-index";
import { type MoveClass, overlapPays, shareAcceptable } from "./evacuate-model";
import type { Ledger } from "./evacuate-place";
import type { FluidTimeline, Stream } from "./evacuate-timeline";
import type { PlannedMove, PlannerHost } from "./evacuate-types";

/** A move of the plan that is running: its class, its stream on the timeline, its plan entry. */
export type Running = { cls: MoveClass; stream: Stream; move: PlannedMove };
export type Pick = { d: PlannerHost; ms: number; c: MoveClass };

export class DestinationChoice {
  constructor(
    private readonly ctx: PlanContext,
    private readonly ledger: Ledger,
    private readonly index: DestinationIndex,
    private readonly timeline: FluidTimeline,
    /** Incoming streams per destination (the scheduler's counts, in-flight migrations included). */
    private readonly inbound: ReadonlyMap<string, number>,
    private readonly running: ReadonlyMap<string, Running>,
  ) {}

  /**
   * The destination for `q` among those with room and a free inbound slot that admit it, each with
   * the strategy that link needs (plain, else the fastest the policy allows; a filler must run
   * plain): the earliest predicted finish (a faster or less busy ingress; 1 % buckets), then the
   * fewest incoming streams, then the most free RAM after reservations (spreading), then the id.
   * Asked of the first idle host with room per bucket (evacuate-index.ts: the rest of an idle bucket
   * cannot beat it), then of busy hosts only where they could: a busy host's share is at most an
   * idle one's of the same NIC speed, and it has more incoming streams.
   */
  pick(q: Queued, convergeOnly: boolean, capBps = this.ctx.cap): Pick | undefined {
    const { ctx, index, inbound, ledger } = this;
    let best: (Pick & { key: number[] }) | undefined;
    const before = this.timeline.shares(true);
    const consider = (d: PlannerHost): boolean => {
      const c = ctx.classAt(q, d);
      if (!c || (capBps < ctx.cap && c.mode !== "plain")) return false;
      const bw = this.admissible(c, d, convergeOnly, capBps, before);
      if (bw === null) return false;
      const ms = ctx.model.estimate(c.vm, bw, c.mode)?.ms ?? Number.POSITIVE_INFINITY;
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
        (inbound.get(d.id) ?? 0) >= ctx.maxIn ||
        d.id === q.cls.vm.hostId ||
        !index.eligible(q.dests, d)
      )
        continue;
      if (ledger.room(q.cls.vm, d) === "ok") consider(d);
    }
    return best;
  }

  /**
   * Shares with a hypothetical stream src→dst (capped at `capBps`): its own share must be good enough
   * for it (with `convergeOnly`, merely converge), and no running move it slows down may drop below
   * what it needs (always strict: a running move is never sacrificed). Returns its share, or null.
   */
  private admissible(
    c: MoveClass,
    dest: PlannerHost,
    convergeOnly: boolean,
    capBps: number,
    before: ReadonlyMap<string, number>,
  ): number | null {
    const { ctx, timeline } = this;
    const { model, overheadMs } = ctx;
    const id = "candidate";
    const sh = timeline.candidateShares(id, c.vm.hostId, dest.id, capBps);
    const bw = sh.get(id) ?? 0;
    // A filler (capped below the stream cap) must get all of its cap: that is what it was sized to.
    const full = capBps >= ctx.cap || bw >= capBps * (1 - 1e-6);
    if (!full || !shareAcceptable(model, c, bw, 1, overheadMs, convergeOnly)) return null;
    // Only the streams the candidate's NICs reach can change; in-flight ones are not ours to judge.
    for (const [sid, after] of sh) {
      const r = this.running.get(sid);
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
  }

  /** Would starting `q` on its pick add (almost) no bandwidth now, only split links already full? */
  addsNothing(q: Queued, pick: Pick): boolean {
    const before = this.timeline.shares(true);
    const sh = this.timeline.candidateShares("candidate", q.cls.vm.hostId, pick.d.id, this.ctx.cap);
    let added = 0;
    for (const [id, bw] of sh) added += bw - (id === "candidate" ? 0 : (before.get(id) ?? 0));
    return added < 0.05 * (sh.get("candidate") ?? 0);
  }

  /**
   * Earliest-finish rule: starting now on the best free destination can be slower than waiting for
   * a better one that other sources' streams occupy (a faster NIC, an ingress about to free up).
   * Asked only for an idle source (its own link is then free); wait when that finishes ≥ 10 % sooner.
   */
  betterToWait(q: Queued, nowMs: number): boolean {
    const { ctx, index, ledger, timeline } = this;
    const sh = timeline.shares(true);
    for (const d of index.busy) {
      if (d.id === q.cls.vm.hostId || !index.eligible(q.dests, d)) continue;
      const into = [...timeline.into(d.id)].filter((s) => s.src !== q.cls.vm.hostId);
      const c = into.length === 0 || ledger.room(q.cls.vm, d) !== "ok" ? null : ctx.classAt(q, d);
      if (!c) continue;
      const e = ctx.model.estimate(c.vm, c.bestBps, c.mode);
      const freeAt = Math.max(...into.map((s) => timeline.remainingMs(s, sh)));
      if (e && freeAt + ctx.overheadMs + e.ms < 0.9 * (ctx.overheadMs + nowMs)) return true;
    }
    return false;
  }
}
