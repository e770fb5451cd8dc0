import { describe, expect, it } from "vitest";
import { hostLanes, LANE_GAP_PX, type LaneMove, TRACK_PX, visibleLanes } from "./host-lanes";

const mv = (
  vmName: string,
  sourceHost: string,
  destHost: string,
  plannedStartMs: number,
  plannedEndMs: number,
): LaneMove => ({ vmName, sourceHost, destHost, plannedStartMs, plannedEndMs, state: "pending", strategy: "plain" });

describe("hostLanes (Gantt by host lane)", () => {
  it("a lane per source then per destination, overlapping moves on separate tracks, sequential ones sharing one", () => {
    const l = hostLanes([
      mv("a", "s1", "d1", 0, 10),
      mv("b", "s1", "d2", 5, 15),
      mv("c", "s1", "d1", 10, 20),
      mv("d", "s2", "d1", 0, 4),
    ]);
    expect(l.lanes.map((x) => `${x.dir}:${x.host}:${x.tracks}`)).toEqual([
      "out:s1:2",
      "out:s2:1",
      "in:d1:2",
      "in:d2:1",
    ]);
    const s1 = l.lanes[0];
    expect(s1?.bars.map((b) => `${b.move.vmName}@${b.track}`)).toEqual(["a@0", "b@1", "c@0"]);
    expect(l.heightPx).toBe(6 * TRACK_PX + 4 * LANE_GAP_PX);
    expect(l.endMs).toBe(20);
    expect(l.bars).toBe(8);
  });

  it("at 5,000 moves only the lanes in view are drawn", () => {
    const moves = Array.from({ length: 5000 }, (_, i) =>
      mv(`v${i}`, `s${i % 250}`, `d${i % 2250}`, (i % 20) * 1000, (i % 20) * 1000 + 900),
    );
    const l = hostLanes(moves);
    expect(l.lanes).toHaveLength(2500);
    const seen = visibleLanes(l, 10_000, 420);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(60);
    for (const lane of seen) expect(lane.top + lane.height > 10_000 && lane.top < 10_420).toBe(true);
    expect(visibleLanes(l, 0, 420)[0]).toBe(l.lanes[0]);
  });
});
