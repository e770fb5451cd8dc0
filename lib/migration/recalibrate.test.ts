import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateCompletion } from "./live-estimate";
import { observedThroughput, recalibrate } from "./recalibrate";
import { synthesizeRun } from "./synthetic";
import { parseTimelineCsv } from "./timeline-csv";
import { GIB, MIB } from "./types";

const timeline = (name: string) =>
  parseTimelineCsv(readFileSync(new URL(`./fixtures/${name}-domjobinfo-timeline.csv`, import.meta.url), "utf8"));

describe("recalibrate: the live ETA from the passes seen", () => {
  const run = { memoryBytes: 4 * GIB, dirtyRateBps: 0.5 * GIB, bandwidthBps: GIB, maxDowntimeMs: 300 };

  it("knows nothing about the end during the first copy, but already the throughput", () => {
    const { samples } = synthesizeRun(run);
    const r = recalibrate(samples.slice(0, 3), { maxDowntimeMs: 300 });
    expect(r.etaMs).toBeNull();
    expect(r.shrink).toBeNull();
    expect(r.throughputBps).toBeCloseTo(GIB, -3);
    expect(r.projection).toEqual([]);
  });

  it("matches the geometric truth once passes are seen, and its projection ends at the switchover", () => {
    const { samples, completedAtMs } = synthesizeRun(run);
    const at5 = samples.filter((s) => s.atMs <= 5000);
    const r = recalibrate(at5, { maxDowntimeMs: 300 });
    expect(r.shrink).toBeCloseTo(0.5, 6);
    expect(r.etaMs).toBe(completedAtMs! - at5.at(-1)!.atMs);
    const end = r.projection.at(-1)!;
    expect(end).toEqual({ elapsedMs: completedAtMs, remainingBytes: 0 });
    // Saw-tooth: each predicted pass starts at half the previous one.
    const starts = r.projection.filter((p, i) => i > 0 && p.remainingBytes > 0).map((p) => p.remainingBytes);
    expect(starts[1]! / starts[0]!).toBeCloseTo(0.5, 6);
  });

  it("uses the throughput really observed, not the rate QEMU reports: where the λ-and-rate estimate is off by a quarter", () => {
    // QEMU's memory_bps is an instantaneous figure; here it reads twice what really moves.
    const truth = { memoryBytes: 8 * GIB, dirtyRateBps: 0.4 * 200 * MIB, bandwidthBps: 200 * MIB, maxDowntimeMs: 300 };
    const { samples, completedAtMs } = synthesizeRun(truth);
    const shown = samples.map((s) => ({ ...s, transferRateBps: 2 * truth.bandwidthBps }));
    const h = shown
      .filter((s) => s.iteration >= 3)
      .slice(0, 2)
      .at(-1)!;
    const seen = shown.filter((s) => s.atMs <= h.atMs);
    const real = completedAtMs! - h.atMs;
    expect(observedThroughput(seen)).toBeCloseTo(200 * MIB, -3);
    const r = recalibrate(seen, { maxDowntimeMs: 300 });
    expect(Math.abs(r.etaMs! - real) / real).toBeLessThan(0.1);
    const old = estimateCompletion(seen, { maxDowntimeMs: 300 }).etaMs!;
    expect(Math.abs(old - real) / real).toBeGreaterThan(0.2);
  });

  it("gives no ETA on the real never-converging s2a: its passes stopped shrinking", () => {
    const r = recalibrate(timeline("s2a"), { maxDowntimeMs: 300 });
    expect(r.shrink!).toBeGreaterThan(0.9);
    expect(r.etaMs === null || r.etaMs > 300_000).toBe(true);
    expect(r.projection.length).toBeGreaterThan(2); // the plateau is drawn ahead
  });

  it("a hot set re-dirtied every pass: ratio 1, no ETA, the plateau drawn", () => {
    const { samples } = synthesizeRun({
      memoryBytes: GIB,
      workingSetBytes: 300 * MIB,
      dirtyRateBps: 2 * GIB,
      bandwidthBps: 100 * MIB,
      maxDowntimeMs: 1000,
      untilMs: 30_000,
    });
    const r = recalibrate(samples.slice(0, 14), { maxDowntimeMs: 1000 });
    expect(r.shrink).toBeCloseTo(1, 6);
    expect(r.etaMs).toBeNull();
    expect(r.band).toBeNull();
    expect(Math.max(...r.projection.slice(2).map((p) => p.remainingBytes))).toBeCloseTo(300 * MIB, -3);
  });

  it("converges on the real s2b and brackets its ETA", () => {
    const r = recalibrate(timeline("s2b"), { maxDowntimeMs: 300 });
    expect(r.etaMs).not.toBeNull();
    expect(r.band!.lowMs).toBeLessThanOrEqual(r.etaMs!);
    expect(r.band!.highMs).toBeGreaterThanOrEqual(r.etaMs!);
  });
});
