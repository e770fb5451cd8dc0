// Max-min fair sharing of migration streams over the hosts' NICs (progressive filling): every
// stream crosses its source's egress and its destination's ingress, both full duplex, and is
// capped by its own demand. Pure; the planner re-runs it whenever a stream starts or ends.

export type ShareFlow = { id: string; src: string; dst: string; capBps: number };

const EPS = 1e-9;

/** @param nicBps capacity per host id (both directions); hosts not listed are unlimited. */
export function fairShares(flows: readonly ShareFlow[], nicBps: ReadonlyMap<string, number>): Map<string, number> {
  const rate = new Map<string, number>();
  const left = new Map<string, number>();
  const res = (f: ShareFlow) => [`o:${f.src}`, `i:${f.dst}`];
  const capOf = (r: string) => nicBps.get(r.slice(2)) ?? Number.POSITIVE_INFINITY;
  for (const f of flows) {
    rate.set(f.id, 0);
    for (const r of res(f)) left.set(r, Math.max(0, capOf(r)));
  }
  let active = flows.filter((f) => f.capBps > 0);
  while (active.length > 0) {
    const users = new Map<string, number>();
    for (const f of active) for (const r of res(f)) users.set(r, (users.get(r) ?? 0) + 1);
    let step = Number.POSITIVE_INFINITY;
    for (const [r, n] of users) step = Math.min(step, (left.get(r) ?? 0) / n);
    for (const f of active) step = Math.min(step, f.capBps - (rate.get(f.id) ?? 0));
    if (!Number.isFinite(step)) {
      for (const f of active) rate.set(f.id, Number.POSITIVE_INFINITY);
      break;
    }
    for (const f of active) rate.set(f.id, (rate.get(f.id) ?? 0) + step);
    for (const [r, n] of users) left.set(r, (left.get(r) ?? 0) - step * n);
    const full = (r: string) => (left.get(r) ?? 0) <= EPS * Math.max(1, Math.min(capOf(r), 1e15));
    active = active.filter((f) => f.capBps - (rate.get(f.id) ?? 0) > EPS * Math.max(1, Math.min(f.capBps, 1e15)) && !res(f).some(full));
  }
  return rate;
}
