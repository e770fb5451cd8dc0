// Layout of the Gantt by host lane (issue 17): one lane per source host (its outbound moves) and
// per destination host (its inbound moves), moves as bars over the plan's time. Moves that overlap
// in a lane go to separate tracks (greedy interval partitioning: as many tracks as the most moves
// at once, i.e. at most the in/out limit). Pure, so the canvas only draws the lanes in view.
import type { MoveView } from "@/lib/schemas/wire-window";

export type LaneMove = Pick<
  MoveView,
  "vmName" | "sourceHost" | "destHost" | "plannedStartMs" | "plannedEndMs" | "state" | "strategy"
>;
export type LaneBar = { move: LaneMove; track: number };
export type Lane = {
  host: string;
  dir: "out" | "in";
  tracks: number;
  bars: LaneBar[] /** px from the top */;
  top: number;
  height: number;
};
export type LaneLayout = { lanes: Lane[]; heightPx: number; endMs: number; bars: number };

export const TRACK_PX = 9;
export const LANE_GAP_PX = 5;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function hostLanes(moves: readonly LaneMove[]): LaneLayout {
  const group = (key: (m: LaneMove) => string) => {
    const out = new Map<string, LaneMove[]>();
    for (const m of moves) {
      const list = out.get(key(m));
      if (list) list.push(m);
      else out.set(key(m), [m]);
    }
    return [...out].sort(([a], [b]) => byName(a, b));
  };
  const lanes: Lane[] = [];
  let top = 0;
  for (const [dir, groups] of [
    ["out", group((m) => m.sourceHost)],
    ["in", group((m) => m.destHost)],
  ] as const) {
    for (const [host, mine] of groups) {
      const ends: number[] = [];
      const bars = [...mine]
        .sort((a, b) => a.plannedStartMs - b.plannedStartMs || a.plannedEndMs - b.plannedEndMs)
        .map((move) => {
          let track = ends.findIndex((e) => e <= move.plannedStartMs);
          if (track < 0) track = ends.push(0) - 1;
          ends[track] = move.plannedEndMs;
          return { move, track };
        });
      const height = ends.length * TRACK_PX + LANE_GAP_PX;
      lanes.push({ host, dir, tracks: ends.length, bars, top, height });
      top += height;
    }
  }
  return { lanes, heightPx: top, endMs: Math.max(0, ...moves.map((m) => m.plannedEndMs)), bars: moves.length * 2 };
}

/** The lanes that intersect [scrollTop, scrollTop + viewPx): binary search, then a short walk. */
export function visibleLanes(layout: LaneLayout, scrollTop: number, viewPx: number): Lane[] {
  const { lanes } = layout;
  let lo = 0;
  let hi = lanes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const l = lanes[mid] as Lane;
    if (l.top + l.height <= scrollTop) lo = mid + 1;
    else hi = mid;
  }
  const out: Lane[] = [];
  for (let i = lo; i < lanes.length && (lanes[i] as Lane).top < scrollTop + viewPx; i++) out.push(lanes[i] as Lane);
  return out;
}
