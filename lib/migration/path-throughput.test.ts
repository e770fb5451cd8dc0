import { describe, expect, it } from "vitest";
import { learnedPathThroughput } from "./path-throughput";
import { MIB } from "./types";

describe("learnedPathThroughput", () => {
  it("takes the median of uncapped runs and of capped runs the path held back; ignores runs the cap held back", () => {
    const runs = [
      { processedBytes: 1121 * MIB * 20, totalTimeMs: 20_000, capBps: null },
      { processedBytes: 1100 * MIB * 10, totalTimeMs: 10_000, capBps: null },
      { processedBytes: 1130 * MIB * 10, totalTimeMs: 10_000, capBps: 2000 * MIB },
      { processedBytes: 300 * MIB * 10, totalTimeMs: 10_000, capBps: 300 * MIB },
      { processedBytes: 5 * MIB, totalTimeMs: 500, capBps: null },
    ];
    expect(learnedPathThroughput(runs)! / MIB).toBeCloseTo(1121, 0);
  });

  it("knows nothing without a run that measured the path", () => {
    expect(learnedPathThroughput([{ processedBytes: 300 * MIB * 10, totalTimeMs: 10_000, capBps: 300 * MIB }])).toBeNull();
  });
});
