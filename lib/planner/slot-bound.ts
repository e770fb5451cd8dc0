// Time bounds from slots (issue 17's tight bound, tight-bound.ts): how long a host's limited
// migration slots need for a given slot time, and for a given volume when each move's setup holds
// a slot sending nothing. Pure.

/**
 * The earliest T by which `needMs` of slot time fits into hosts of `slots` slots each, where
 * `ends[h]` lists when the in-flight migrations holding host h's slots end (they may hold more
 * than `slots`: they started before the limit applied). Free slot time is piecewise constant.
 */
export function slotBound(needMs: number, slots: number, ends: readonly (readonly number[])[]): number {
  if (needMs <= 0) return 0;
  const times = [...new Set(ends.flat())].sort((a, b) => a - b);
  const freeAt = (t: number) => ends.reduce((s, e) => s + Math.max(0, slots - e.filter((x) => x > t).length), 0);
  let at = 0;
  let left = needMs;
  for (const next of [...times, Number.POSITIVE_INFINITY]) {
    const free = freeAt(at);
    if (free > 0 && at + left / free <= next) return at + left / free;
    if (free > 0) left -= free * (next - at);
    at = next;
  }
  return Number.POSITIVE_INFINITY;
}
/**
 * The earliest T by which `bytes` can leave a source whose `slots` outbound slots each of `moves`
 * holds for `setupMs` sending nothing (in-flight migrations hold theirs until `ends`), where n
 * streams sending at once get at most min(link, n · stream). That rate is concave in n, so a given
 * slot time moves the most bytes spread evenly over [setup, T] (rate linear between whole n).
 */
export function sourceFlowBound(
  bytes: number,
  moves: number,
  setupMs: number,
  slots: number,
  linkBps: number,
  streamBps: number,
  ends: readonly number[],
): number {
  if (bytes <= 0 || moves === 0) return 0;
  const r = (n: number) => Math.min(linkBps, n * streamBps);
  const rate = (n: number) => {
    const lo = Math.floor(n);
    return r(lo) + (n - lo) * (r(lo + 1) - r(lo));
  };
  const sorted = [...ends].sort((a, b) => a - b);
  const freeSlotMs = (T: number) => {
    let at = 0;
    let free = 0;
    sorted.forEach((e, i) => {
      const until = Math.min(T, e);
      if (until > at) free += (until - at) * Math.max(0, slots - (sorted.length - i));
      at = Math.max(at, until);
    });
    return free + Math.max(0, T - at) * slots;
  };
  const sent = (T: number) => {
    const h = T - setupMs;
    const y = freeSlotMs(T) - moves * setupMs;
    return h <= 0 || y <= 0 ? 0 : (h / 1000) * rate(Math.min(slots, y / h));
  };
  let hi = Math.max(setupMs, ...sorted) + moves * setupMs + (bytes / Math.min(linkBps, streamBps)) * 1000 + 1;
  for (let i = 0; i < 60 && sent(hi) < bytes; i++) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (sent(mid) >= bytes) hi = mid;
    else lo = mid;
  }
  return hi;
}
