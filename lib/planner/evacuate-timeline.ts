// Fluid model of concurrent migrations over time, the clock of the event-driven scheduler: each
// stream gets its max-min fair share of its source's egress and its destination's ingress, and
// advances its transfer at 1/T(share) per ms, where T is the predicted duration at that share
// (so a move slows down while it shares a link and speeds up when the other stream ends). Shares
// are recomputed at every event (a stream's setup ending, a transfer ending), once per event
// (cached until the next one), and a candidate's effect only over the streams its NICs reach. Pure.
import { fairShares, type ShareFlow } from "./evacuate-share";

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
  /** Fraction of the transfer done. */
  progress: number;
  /** ∫ bandwidth dt and transfer time so far (ms), for the average bandwidth. */
  bwMs: number;
  transferredMs: number;
  endMs?: number;
  /** Last (bandwidth, transfer time) asked of transferMs: most events leave a stream's share alone. */
  lastBw?: number;
  lastT?: number | null;
};

const EPS_MS = 1e-6;

export class FluidTimeline {
  now = 0;
  readonly active: Stream[] = [];
  /** Active streams by the NIC they use: `o:host` (egress) and `i:host` (ingress). */
  private readonly byNic = new Map<string, Set<Stream>>();
  private cached: { sending?: Map<string, number>; admission?: Map<string, number>; candidates: Map<string, Map<string, number>> } = { candidates: new Map() };

  constructor(private readonly nicBps: ReadonlyMap<string, number>) {}

  add(s: Omit<Stream, "progress" | "bwMs" | "transferredMs">): Stream {
    const full: Stream = { ...s, progress: 0, bwMs: 0, transferredMs: 0 };
    this.active.push(full);
    for (const r of [`o:${full.src}`, `i:${full.dst}`]) {
      const set = this.byNic.get(r) ?? new Set<Stream>();
      set.add(full);
      this.byNic.set(r, set);
    }
    this.changed();
    return full;
  }

  /** Active streams into `hostId`. */
  into(hostId: string): ReadonlySet<Stream> {
    return this.byNic.get(`i:${hostId}`) ?? new Set();
  }

  private changed(): void {
    this.cached = { candidates: new Map() };
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
    const hit = this.cached.candidates.get(key);
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
    this.cached.candidates.set(key, out);
    return out;
  }

  private sending(s: Stream): boolean {
    return s.fixedEndMs !== undefined || this.now >= s.setupEndMs - EPS_MS;
  }

  /**
   * Fair shares now; `admission` counts streams still in setup (they will send soon) and `extra`,
   * and leaves out `gone` (streams that will have ended by then).
   */
  shares(admission = false, extra: ShareFlow[] = [], gone?: ReadonlySet<string>): Map<string, number> {
    const plain = extra.length === 0 && !gone;
    const hit = plain ? (admission ? this.cached.admission : this.cached.sending) : undefined;
    if (hit) return hit;
    const flows: ShareFlow[] = this.active
      .filter((s) => (admission || this.sending(s)) && !gone?.has(s.id))
      .map((s) => ({ id: s.id, src: s.src, dst: s.dst, capBps: s.capBps }));
    const out = fairShares([...flows, ...extra], this.nicBps);
    if (plain && admission) this.cached.admission = out;
    if (plain && !admission) this.cached.sending = out;
    return out;
  }

  /** Predicted time until `s` ends at today's shares (Infinity if it stalls). */
  remainingMs(s: Stream, sh: ReadonlyMap<string, number>): number {
    if (s.fixedEndMs !== undefined) return Math.max(0, s.fixedEndMs - this.now);
    const T = s.transferMs?.(sh.get(s.id) ?? 0) ?? null;
    if (T === null) return Number.POSITIVE_INFINITY;
    return Math.max(0, s.setupEndMs - this.now) + (1 - s.progress) * T;
  }

  /**
   * Advance to the next event. Returns the streams that ended then (possibly none, when only a
   * setup phase ended), or null when nothing will ever happen (no stream, or all stalled).
   */
  step(): Stream[] | null {
    if (this.active.length === 0) return null;
    const sh = this.shares();
    const plan = this.active.map((s) => {
      if (s.fixedEndMs !== undefined) return { s, at: Math.max(this.now, s.fixedEndMs), T: null as number | null, bw: sh.get(s.id) ?? 0 };
      if (!this.sending(s)) return { s, at: s.setupEndMs, T: null, bw: 0 };
      const bw = sh.get(s.id) ?? 0;
      if (s.lastBw !== bw) {
        s.lastBw = bw;
        s.lastT = s.transferMs ? s.transferMs(bw) : null;
      }
      const T = s.lastT ?? null;
      const at = T === null ? Number.POSITIVE_INFINITY : this.now + (1 - s.progress) * T;
      return { s, at, T, bw };
    });
    let next = Number.POSITIVE_INFINITY;
    for (const p of plan) next = Math.min(next, p.at);
    if (!Number.isFinite(next)) return null;
    const dt = next - this.now;
    const ended: Stream[] = [];
    for (const p of plan) {
      const { s } = p;
      if (p.T !== null && p.T > 0) {
        s.progress = Math.min(1, s.progress + dt / p.T);
        s.bwMs += p.bw * dt;
        s.transferredMs += dt;
      }
      const transferDone = p.T !== null && p.at <= next + EPS_MS;
      const fixedDone = s.fixedEndMs !== undefined && p.at <= next + EPS_MS;
      if (transferDone || fixedDone) {
        s.progress = 1;
        s.endMs = next;
        ended.push(s);
      }
    }
    this.now = next;
    for (const s of ended) this.remove(s);
    // Time moved: setups may have ended, so the shares are stale even if nothing ended.
    this.changed();
    return ended;
  }

  /** Drops a stream (ended, or abandoned by a caller). */
  remove(s: Stream): void {
    const i = this.active.indexOf(s);
    if (i >= 0) this.active.splice(i, 1);
    this.byNic.get(`o:${s.src}`)?.delete(s);
    this.byNic.get(`i:${s.dst}`)?.delete(s);
    this.changed();
  }
}
