// Room for a filler move (evacuate-schedule.ts, offerFiller): what a source's egress has left
// beside its own streams, and how long the filler may run. Pure.
import type { Running } from "./evacuate-choose";
import type { FluidTimeline } from "./evacuate-timeline";

/**
 * The part of a source's `link` its running streams leave unused, and the time until the first of
 * them ends (a filler capped at the leftover must end by then); null when nothing runs or the
 * leftover is not worth a filler.
 */
export function fillerRoom(
  timeline: FluidTimeline,
  link: number,
  mine: Running[],
): { leftover: number; horizon: number } | null {
  if (mine.length === 0) return null;
  const sh = timeline.shares(true);
  const used = mine.reduce((x, r) => x + (sh.get(r.stream.id) ?? 0), 0);
  const leftover = link - used;
  // Max-min fairness: an egress left unsaturated means every stream on it is held elsewhere.
  if (!(leftover > 0.05 * link) || !Number.isFinite(leftover)) return null;
  const left = (r: Running) =>
    Math.max(0, r.stream.setupEndMs - timeline.now) +
    (1 - timeline.progress(r.stream)) * (r.stream.transferMs?.(sh.get(r.stream.id) ?? 0) ?? Number.POSITIVE_INFINITY);
  return { leftover, horizon: Math.min(...mine.map(left)) };
}
