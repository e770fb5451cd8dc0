// Fluid model of concurrent migrations over time, the clock of the event-driven scheduler: each
// stream gets its max-min fair share of its source's egress and its destination's ingress, and
// advances its transfer at 1/T(share) per ms, where T is the predicted duration at that share
// (so a move slows down while it shares a link and speeds up when the other stream ends). Shares
// are updated incrementally (issue 17: recomputing every stream after every start was 40 % of
// planning at 1,000 VMs): an event (a stream added, ended, or its setup over) marks its two NICs,
// and only the streams connected to a marked NIC are refilled; a candidate's effect is computed
// over the streams its NICs reach. Pure.
import { fairShares, IncrementalShares, type ShareFlow } from "./evacuate-share";
import { MinHeap } from "./min-heap";

export type Stream = {
  id: string;
  src: string;
  dst: string;
  capBps: number;
  startMs: number;
  /** Setup (and switchover) time during which the stream holds its slot but sends nothing. */
  setupEndMs: number;
  /** Predicted transfer time at a constant bandwidth; null = does not converge there (stalls). */
  transferMs: ((bwBps: number) => number | null) | null;
  /** For streams already in flight: they end then, whatever their share. */
  fixedEndMs?: number;
  /** Fraction of the transfer done at `at` (FluidTimeline.progress gives it now). */
  progress: number;
  /** ∫ bandwidth dt and transfer time up to `at` (ms), for the average bandwidth. */
  bwMs: number;
  transferredMs: number;
  endMs?: number;
  /** Progress is advanced lazily: at `at` it was `progress`, since then at `bw` (transfer time `T`). */
  at: number;
  bw: number;
  /** Transfer time at `bw` while sending; null in setup, for in-flight streams, or when it stalls. */
  T: number | null;
  /** Bumped at every reschedule: older heap entries of the stream are stale. */
  ver: number;
  /** Last (bandwidth, transfer time) asked of transferMs: most events leave a stream's share alone. */
  lastBw?: number;
  lastT?: number | null;
};

type Internal = "progress" | "bwMs" | "transferredMs" | "at" | "bw" | "T" | "ver";

const EPS_MS = 1e-6;

export class FluidTimeline {
  now = 0;
  readonly active: Stream[] = [];
  /** Active streams by the NIC they use: `o:host` (egress) and `i:host` (ingress). */
  private readonly byNic = new Map<string, Set<Stream>>();
  private candidates = new Map<string, Map<string, number>>();
  /** Shares of the streams sending now, and of every active one (admission: setups send soon). */
  private readonly sendingShares: IncrementalShares<Stream>;
  private readonly admissionShares: IncrementalShares<Stream>;
  /** Each stream's next event (its setup's end, its transfer's end), stale entries skipped. */
  private readonly events = new MinHeap<{ s: Stream; ver: number }>();

  constructor(private readonly nicBps: ReadonlyMap<string, number>) {
    this.sendingShares = new IncrementalShares(nicBps, this.byNic, (s) => this.sending(s), true);
    this.admissionShares = new IncrementalShares(nicBps, this.byNic, () => true);
  }

  add(s: Omit<Stream, Internal>): Stream {
    const full: Stream = { ...s, progress: 0, bwMs: 0, transferredMs: 0, at: this.now, bw: 0, T: null, ver: 0 };
    this.active.push(full);
    for (const r of [`o:${full.src}`, `i:${full.dst}`]) {
      const set = this.byNic.get(r) ?? new Set<Stream>();
      set.add(full);
      this.byNic.set(r, set);
    }
    this.sendingShares.mark(full);
    this.admissionShares.mark(full);
    this.candidates.clear();
    this.reschedule(full);
    return full;
  }

  /** Active streams into `hostId`. */
  into(hostId: string): ReadonlySet<Stream> {
    return this.byNic.get(`i:${hostId}`) ?? new Set();
  }

  /**
   * Admission shares of the streams a hypothetical flow src→dst would touch (those sharing a NIC
   * with it, directly or through others) plus its own, under `id`; streams not listed keep theirs.
   * Cached per (src, dst, cap) until the next change; a destination nothing flows into is keyed by
   * its NIC speed alone, since that is all its ingress contributes.
   */
  candidateShares(id: string, src: string, dst: string, capBps: number): ReadonlyMap<string, number> {
    const idle = this.into(dst).size === 0;
    const key = `${src}\0${idle ? `nic:${this.nicBps.get(dst) ?? "inf"}` : dst}\0${capBps}`;
    const hit = this.candidates.get(key);
    if (hit) return hit;
    const seen = new Set<Stream>();
    const todo = [`o:${src}`, `i:${dst}`];
    const visited = new Set(todo);
    while (todo.length > 0) {
      for (const s of this.byNic.get(todo.pop() as string) ?? []) {
        if (seen.has(s)) continue;
        seen.add(s);
        for (const r of [`o:${s.src}`, `i:${s.dst}`]) {
          if (visited.has(r)) continue;
          visited.add(r);
          todo.push(r);
        }
      }
    }
    const flows: ShareFlow[] = [...seen].map((s) => ({ id: s.id, src: s.src, dst: s.dst, capBps: s.capBps }));
    const out = fairShares([...flows, { id, src, dst, capBps }], this.nicBps);
    this.candidates.set(key, out);
    return out;
  }

  private sending(s: Stream): boolean {
    return s.fixedEndMs !== undefined || this.now >= s.setupEndMs - EPS_MS;
  }

  /** Fair shares now; `admission` also counts streams still in setup (they will send soon). */
  shares(admission = false): ReadonlyMap<string, number> {
    return (admission ? this.admissionShares : this.sendingShares).get();
  }

  /** Fraction of its transfer `s` has done now. */
  progress(s: Stream): number {
    return s.T !== null && s.T > 0 ? Math.min(1, s.progress + (this.now - s.at) / s.T) : s.progress;
  }

  /** Predicted time until `s` ends at today's shares (Infinity if it stalls). */
  remainingMs(s: Stream, sh: ReadonlyMap<string, number>): number {
    if (s.fixedEndMs !== undefined) return Math.max(0, s.fixedEndMs - this.now);
    const T = s.transferMs?.(sh.get(s.id) ?? 0) ?? null;
    if (T === null) return Number.POSITIVE_INFINITY;
    return Math.max(0, s.setupEndMs - this.now) + (1 - this.progress(s)) * T;
  }

  /** Advance `s`'s progress to now at its current rate. */
  private settle(s: Stream): void {
    const dt = this.now - s.at;
    if (dt > 0 && s.T !== null && s.T > 0) {
      s.progress = Math.min(1, s.progress + dt / s.T);
      s.bwMs += s.bw * dt;
      s.transferredMs += dt;
    }
    s.at = this.now;
  }

  /** Queue `s`'s next event: its setup's end, its fixed end, or its transfer's end at its rate. */
  private reschedule(s: Stream): void {
    s.ver++;
    const at =
      s.fixedEndMs !== undefined
        ? Math.max(this.now, s.fixedEndMs)
        : !this.sending(s)
          ? s.setupEndMs
          : s.T === null
            ? Number.POSITIVE_INFINITY
            : this.now + (1 - s.progress) * s.T;
    if (Number.isFinite(at)) this.events.push(at, { s, ver: s.ver });
  }

  /** New shares since the last event: progress so far at the old rate, the rest at the new one. */
  private refresh(): void {
    const sh = this.sendingShares.get();
    for (const s of this.sendingShares.drain()) {
      if (s.endMs !== undefined) continue;
      this.settle(s);
      s.bw = sh.get(s.id) ?? 0;
      if (s.fixedEndMs === undefined) {
        if (s.lastBw !== s.bw) {
          s.lastBw = s.bw;
          s.lastT = s.transferMs ? s.transferMs(s.bw) : null;
        }
        s.T = s.lastT ?? null;
      }
      this.reschedule(s);
    }
  }

  /**
   * Advance to the next event. Returns the streams that ended then (possibly none, when only a
   * setup phase ended), or null when nothing will ever happen (no stream, or all stalled).
   */
  step(): Stream[] | null {
    if (this.active.length === 0) return null;
    this.refresh();
    const valid = (e: { value: { s: Stream; ver: number } } | undefined) =>
      !!e && e.value.ver === e.value.s.ver && e.value.s.endMs === undefined;
    while (this.events.size > 0 && !valid(this.events.peek())) this.events.pop();
    const first = this.events.peek();
    if (!first) return null;
    const next = first.key;
    const due: Stream[] = [];
    for (let e = this.events.peek(); e && (e.key <= next + EPS_MS || !valid(e)); e = this.events.peek()) {
      this.events.pop();
      if (valid(e)) due.push(e.value.s);
    }
    this.now = next;
    const ended: Stream[] = [];
    for (const s of due) {
      if (s.fixedEndMs === undefined && s.T === null) {
        // Its setup is over: it sends from now on, which changes its NICs' shares.
        this.sendingShares.mark(s);
        continue;
      }
      this.settle(s);
      if (s.fixedEndMs === undefined) s.progress = 1;
      s.endMs = next;
      ended.push(s);
    }
    for (const s of ended) this.remove(s);
    return ended;
  }

  /** Drops a stream (ended, or abandoned by a caller). */
  remove(s: Stream): void {
    const i = this.active.indexOf(s);
    if (i >= 0) this.active.splice(i, 1);
    s.ver++;
    this.byNic.get(`o:${s.src}`)?.delete(s);
    this.byNic.get(`i:${s.dst}`)?.delete(s);
    this.sendingShares.forget(s);
    this.admissionShares.forget(s);
    this.candidates.clear();
  }
}
