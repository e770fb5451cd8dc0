// Concurrency slots of a running drain: at most maxOutbound migrations out of each source and
// maxInbound into each destination, counting the window's migrations already in flight. Pure.

export type Counts = { out: Map<string, number>; in: Map<string, number> };
export type Limits = { maxOutbound: number; maxInbound: number };

export function countActive(active: readonly { sourceHostId: string; destHostId: string }[]): Counts {
  const c: Counts = { out: new Map(), in: new Map() };
  for (const m of active) take(c, m);
  return c;
}

export function fits(c: Counts, m: { sourceHostId: string; destHostId: string }, l: Limits): boolean {
  return (c.out.get(m.sourceHostId) ?? 0) < l.maxOutbound && (c.in.get(m.destHostId) ?? 0) < l.maxInbound;
}

export function take(c: Counts, m: { sourceHostId: string; destHostId: string }): void {
  c.out.set(m.sourceHostId, (c.out.get(m.sourceHostId) ?? 0) + 1);
  c.in.set(m.destHostId, (c.in.get(m.destHostId) ?? 0) + 1);
}

/** Extra ordering rule (the plan's own): may `m` start yet, and note that it did. */
export type Gate<M> = { ready: (m: M) => boolean; mark: (m: M, what: "started") => void };

/**
 * The pending moves that could start now, in plan order. A move whose source or destination is
 * full (or that the gate holds back) is passed over, not waited for: a later move between free
 * hosts may start (work-conserving).
 */
export function startable<M extends { sourceHostId: string; destHostId: string }>(
  pending: readonly M[],
  active: Counts,
  l: Limits,
  gate?: Gate<M>,
): M[] {
  const c: Counts = { out: new Map(active.out), in: new Map(active.in) };
  const out: M[] = [];
  for (const m of pending) {
    if (!fits(c, m, l) || (gate && !gate.ready(m))) continue;
    take(c, m);
    gate?.mark(m, "started");
    out.push(m);
  }
  return out;
}
