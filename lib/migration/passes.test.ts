import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { smoothedLambda, summarizePasses } from "./passes";
import { parseTimelineCsv } from "./timeline-csv";
import { MIB } from "./types";

const csv = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}-domjobinfo-timeline.csv`, import.meta.url), "utf8");

describe("parseTimelineCsv", () => {
  it("normalises the lab's columns to base units", () => {
    const s = parseTimelineCsv(csv("s2b"), { originMs: 1_000_000 });
    expect(s).toHaveLength(126);
    expect(s[0]).toMatchObject({
      atMs: 1_000_252,
      totalBytes: 0,
      transferRateBps: 0,
      throttlePct: 0,
      expectedDowntimeMs: 0,
    });
    expect(s[10]).toMatchObject({
      elapsedMs: 10_616,
      totalBytes: 537_403_392,
      remainingBytes: 270_774_272,
      dirtyRateBps: 6492 * 4096,
      transferRateBps: 33_570_900,
      iteration: 2,
      expectedDowntimeMs: 8277,
    });
    expect(s.at(-1)!.throttlePct).toBe(90);
  });

  it("refuses a file without the expected columns", () => {
    expect(() => parseTimelineCsv("a,b\n1,2\n")).toThrow(/lacks columns/);
  });
});

describe("summarizePasses", () => {
  it("reads s1 pass by pass: the bulk copy, then ≈ 256 MiB every pass (the saw-tooth's peaks)", () => {
    const passes = summarizePasses(parseTimelineCsv(csv("s1")));
    expect(passes.map((p) => p.iteration)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(passes[0]).toMatchObject({ bulk: true, lambda: null, volumeBytes: 537_403_392 });
    for (const p of passes.slice(1)) {
      expect(p.bulk).toBe(false);
      // Expected downtime × bandwidth recovers the dirty set at the sync, whatever the sample timing.
      expect(p.volumeBytes / MIB).toBeGreaterThan(250);
      expect(p.volumeBytes / MIB).toBeLessThan(262);
    }
    // Pass 2's first sample still carries pass 1's 300 ms placeholder: it must not shrink the volume.
    expect(passes[1]!.startAtMs).toBe(21_975);
    // λ = dirtied / transferred over the same period, even across the 8 → 32 → 8 MiB/s changes.
    expect(passes[1]!.lambda).toBeCloseTo(1.48, 2);
    expect(passes[3]!.lambda!).toBeGreaterThan(1);
  });

  it("drops setup and post-copy samples", () => {
    const passes = summarizePasses(parseTimelineCsv(csv("s8")));
    expect(passes).toHaveLength(1);
    expect(passes[0]!.bulk).toBe(true);
  });

  it("smooths λ without the bulk-period ratio once a steady one exists (s2a: 0.79 first, then ≈ 1)", () => {
    const passes = summarizePasses(parseTimelineCsv(csv("s2a")));
    expect(passes[1]!.lambda).toBeCloseTo(0.79, 2);
    expect(smoothedLambda(passes.slice(0, 2))).toBeCloseTo(0.79, 2);
    expect(smoothedLambda(passes)!).toBeGreaterThan(0.98);
    expect(smoothedLambda(passes.slice(0, 1))).toBeNull();
  });
});
