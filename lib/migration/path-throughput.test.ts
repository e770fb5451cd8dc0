import { describe, expect, it } from "vitest";
import { ASSUMED_JOB_OVERHEAD_MS, learnedJobOverheadMs, learnedPathThroughput } from "./path-throughput";
import { MIB } from "./types";

describe("learnedPathThroughput", () => {
  it("takes the median of uncapped runs and of capped runs the path held back; ignores runs the cap held back", () => {
    const runs = [
      { processedBytes: 1121 * MIB * 20, totalTimeMs: 20_000, capBps: null, memoryBytes: 16 * 1024 * MIB },
      { processedBytes: 1100 * MIB * 10, totalTimeMs: 10_000, capBps: null, memoryBytes: 16 * 1024 * MIB },
      { processedBytes: 1130 * MIB * 10, totalTimeMs: 10_000, capBps: 2000 * MIB, memoryBytes: 16 * 1024 * MIB },
      { processedBytes: 300 * MIB * 10, totalTimeMs: 10_000, capBps: 300 * MIB, memoryBytes: 4 * 1024 * MIB },
      { processedBytes: 5 * MIB, totalTimeMs: 500, capBps: null, memoryBytes: 8 * MIB },
    ];
    expect(learnedPathThroughput(runs)! / MIB).toBeCloseTo(1121, 0);
  });

  it("knows nothing without a run that measured the path", () => {
    expect(
      learnedPathThroughput([
        { processedBytes: 300 * MIB * 10, totalTimeMs: 10_000, capBps: 300 * MIB, memoryBytes: 4 * 1024 * MIB },
      ]),
    ).toBeNull();
  });

  it("does not take a run that mostly scanned zero pages as the path's speed (the lab's capped idle guest)", () => {
    // 256 MiB idle guest, cap 16 MiB/s: 80 MiB sent in 9.6 s (8.3 MiB/s, below 90 % of the cap).
    const idle = { processedBytes: 80 * MIB, totalTimeMs: 9600, capBps: 16 * MIB, memoryBytes: 256 * MIB };
    expect(learnedPathThroughput([idle])).toBeNull();
    // A writer that sent most of its RAM, uncapped: that one measured the path.
    const writer = { processedBytes: 300 * MIB, totalTimeMs: 10_000, capBps: null, memoryBytes: 384 * MIB };
    expect(learnedPathThroughput([idle, writer])! / MIB).toBeCloseTo(30, 5);
  });

  it("a capped run that averaged a little under its cap was held back by the cap, not the path (the lab's 8 MiB/s writer: 6.8)", () => {
    const capped = { processedBytes: 140 * MIB, totalTimeMs: 20_500, capBps: 8 * MIB, memoryBytes: 256 * MIB };
    expect(learnedPathThroughput([capped])).toBeNull();
    // A WAN path at 40 MiB/s under a 100 MiB/s cap is still learned.
    const wan = { processedBytes: 40 * MIB * 60, totalTimeMs: 60_000, capBps: 100 * MIB, memoryBytes: 2048 * MIB };
    expect(learnedPathThroughput([wan])! / MIB).toBeCloseTo(40, 5);
  });
});

describe("learnedJobOverheadMs", () => {
  // elapsed ms, MiB sent, QEMU's transfer rate in MiB/s
  const run = (ms: number, mib: number, bps: number) => ({
    processedBytes: mib * MIB,
    totalTimeMs: ms,
    capBps: null,
    memoryBytes: 1024 * MIB,
    transferBps: bps * MIB,
  });

  it("is elapsed time minus data over QEMU's transfer rate, and one fast run is believed at once", () => {
    // A vm-idle capture on a quiet lab: 81 MiB at 17 MiB/s in 5.1 s spent 0.34 s outside the transfer.
    expect(learnedJobOverheadMs([run(5105, 81, 17)])).toBeCloseTo(5105 - (81 / 17) * 1000, 0);
  });

  it("does not let one slow first job set the next prediction, but learns a pair that is slow every time", () => {
    // The quiet lab run: the first job to a fresh destination spent 3.7 s, the next 1.3 s.
    const cold = run(3700 + 5000, 85, 17);
    expect(learnedJobOverheadMs([cold])).toBe(ASSUMED_JOB_OVERHEAD_MS);
    expect(learnedJobOverheadMs([cold, run(1300 + 2000, 62, 31)])).toBe(ASSUMED_JOB_OVERHEAD_MS);
    expect(learnedJobOverheadMs([cold, run(3500 + 2000, 62, 31)])).toBeCloseTo(3500, 0);
  });

  it("takes the lower median of many runs, and knows nothing from records without a rate", () => {
    expect(learnedJobOverheadMs([run(3000, 100, 100), run(6000, 100, 25), run(12_000, 100, 10)])).toBe(2000);
    expect(
      learnedJobOverheadMs([run(1400, 100, 100), run(1800, 100, 100), run(2000, 100, 100), run(9000, 100, 100)]),
    ).toBe(1000);
    expect(learnedJobOverheadMs([{ ...run(3000, 100, 100), transferBps: null }])).toBeNull();
  });
});

describe("learnedPathThroughput from QEMU's transfer rate", () => {
  it("takes the record's transfer rate, which leaves the job's setup and finish out", () => {
    // 160 MiB in 5 s, 2.7 s of it outside the transfer: the path carried 69 MiB/s, not 32.
    const writer = {
      processedBytes: 160 * MIB,
      totalTimeMs: 5000,
      capBps: null,
      memoryBytes: 192 * MIB,
      transferBps: 69 * MIB,
    };
    expect(learnedPathThroughput([writer])! / MIB).toBeCloseTo(69, 5);
  });
});
