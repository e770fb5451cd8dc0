// Max-min fair sharing (progressive filling / water-filling) of migration streams over the hosts'
// NICs. Each flow crosses two full-duplex resources: its source's egress and its destination's
// ingress. Re-run it whenever a flow starts, ends or changes its demand.

export interface Flow {
  id: string;
  src: string;
  dst: string;
  demandBps: number;
}

const EPS = 1e-9;
const hostOf = (resource: string) => resource.slice(resource.indexOf(":") + 1);

/**
 * @param nicBps per-host NIC capacity (bytes/s), the same both ways; hosts not listed are unlimited.
 * @param perStreamCapBps optional ceiling for every stream (single-stream CPU limit).
 * @returns each flow's fair rate; Infinity only if nothing bounds the flow.
 */
export function shareBandwidth(
  flows: Flow[],
  nicBps: Record<string, number>,
  perStreamCapBps?: number,
): Map<string, number> {
  const rate = new Map<string, number>();
  const cap = (f: Flow) => Math.max(0, Math.min(f.demandBps, perStreamCapBps ?? Number.POSITIVE_INFINITY));
  const resourcesOf = (f: Flow) => [`out:${f.src}`, `in:${f.dst}`];
  const left = new Map<string, number>();
  for (const f of flows) {
    rate.set(f.id, 0);
    for (const r of resourcesOf(f)) {
      left.set(r, Math.max(0, nicBps[hostOf(r)] ?? Number.POSITIVE_INFINITY));
    }
  }
  let active = flows.filter((f) => cap(f) > 0);
  while (active.length > 0) {
    // Every active flow rises by the same amount until a resource fills or a flow hits its demand.
    const users = new Map<string, number>();
    for (const f of active) for (const r of resourcesOf(f)) users.set(r, (users.get(r) ?? 0) + 1);
    let step = Number.POSITIVE_INFINITY;
    for (const [r, n] of users) step = Math.min(step, (left.get(r) ?? 0) / n);
    for (const f of active) step = Math.min(step, cap(f) - (rate.get(f.id) ?? 0));
    if (step === Number.POSITIVE_INFINITY) {
      for (const f of active) rate.set(f.id, step);
      break;
    }
    for (const f of active) rate.set(f.id, (rate.get(f.id) ?? 0) + step);
    for (const [r, n] of users) left.set(r, (left.get(r) ?? 0) - step * n);
    const saturated = (r: string) => (left.get(r) ?? 0) <= EPS * Math.max(1, nicBps[hostOf(r)] ?? 1);
    const unmet = (f: Flow) => cap(f) - (rate.get(f.id) ?? 0) > EPS * Math.max(1, Number.isFinite(cap(f)) ? cap(f) : 1);
    active = active.filter((f) => unmet(f) && !resourcesOf(f).some(saturated));
  }
  return rate;
}
