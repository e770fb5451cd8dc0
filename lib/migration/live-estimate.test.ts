import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateCompletion } from "./live-estimate";
import { synthesizeRun } from "./synthetic";
import { parseTimelineCsv } from "./timeline-csv";
import { GIB } from "./types";

const timeline = (name: string) =>
  parseTimelineCsv(readFileSync(new URL(`./fixtures/${name}-domjobinfo-timeline.csv`, import.meta.url), "utf8"));

describe("estimateCompletion", () => {
  const run = { memoryBytes: 4 * GIB, dirtyRateBps: 0.5 * GIB, bandwidthBps: GIB, maxDowntimeMs: 300 };

  it("knows nothing during the first full copy", () => {
    const { samples } = synthesizeRun(run);
    expect(estimateCompletion(samples.slice(0, 3), { maxDowntimeMs: 300 })).toEqual({
      etaMs: null,
      band: null,
      lambda: null,
    });
  });

  it("matches the geometric model once λ is measured (λ = 0.5)", () => {
    const { samples, completedAtMs } = synthesizeRun(run);
    // Passes: 4 GiB (4 s), 2 (2 s), 1 (1 s), 0.5 (0.5 s), then a 0.25 GiB stop-and-copy.
    expect(completedAtMs).toBe(7750);
    const at5 = samples.filter((s) => s.atMs <= 5000);
    const e = estimateCompletion(at5, { maxDowntimeMs: 300 });
    expect(e.lambda).toBeCloseTo(0.5, 6);
    expect(e.etaMs).toBe(2750);
    expect(e.band).toEqual({ lowMs: 2750, highMs: 2750 });
  });

  it("tracks the truth within 10 % on a slower λ = 0.8 run at 1 Hz", () => {
    const r = { memoryBytes: 8 * GIB, dirtyRateBps: 0.8 * 1.1 * GIB, bandwidthBps: 1.1 * GIB, maxDowntimeMs: 300 };
    const { samples, completedAtMs } = synthesizeRun(r);
    for (let n = 9; n <= samples.length; n++) {
      const h = samples.slice(0, n);
      const e = estimateCompletion(h, { maxDowntimeMs: 300 });
      const truth = completedAtMs! - h[h.length - 1]!.atMs;
      expect(e.etaMs).not.toBeNull();
      expect(Math.abs(e.etaMs! - truth)).toBeLessThanOrEqual(Math.max(0.1 * truth, 300));
    }
  });

  it("has no usable ETA on the real plateau of s2a (λ ≈ 1)", () => {
    const e = estimateCompletion(timeline("s2a"), { maxDowntimeMs: 300 });
    expect(e.lambda!).toBeGreaterThan(0.95);
    // The slow end of the recent λ spread never converges, so there is no band to draw...
    expect(e.band).toBeNull();
    // ...and at the smoothed λ the geometric tail is many minutes long.
    expect(e.etaMs === null || e.etaMs > 300_000).toBe(true);
  });

  it("learns λ from dirty sets, not from the bulk copy: a hot set re-dirtied every pass reads λ = 1", () => {
    const MiB = 1024 ** 2;
    const { samples } = synthesizeRun({
      memoryBytes: GIB,
      workingSetBytes: 300 * MiB,
      dirtyRateBps: 2 * GIB,
      bandwidthBps: 100 * MiB,
      maxDowntimeMs: 1000,
      untilMs: 30_000,
    });
    // First re-sync: 300 MiB dirtied while all 1 GiB was sent, λ = 0.29 — alone, it is all there is.
    expect(estimateCompletion(samples.slice(0, 11), { maxDowntimeMs: 1000 }).lambda).toBeCloseTo(0.293, 3);
    // Second re-sync: 300 MiB again; the bulk-period ratio no longer counts.
    const later = estimateCompletion(samples.slice(0, 14), { maxDowntimeMs: 1000 });
    expect(later.lambda).toBeCloseTo(1, 6);
    expect(later.etaMs).toBeNull();
    // With a 3.5 s budget the 300 MiB (3 s) hot set fits: the pass under way is the last one.
    const fits = estimateCompletion(samples.slice(0, 14), { maxDowntimeMs: 3500 });
    expect(fits.etaMs).toBe(Math.round((samples[13]!.remainingBytes / (100 * MiB)) * 1000));
  });

  it("streams what is left in post-copy (s8, real)", () => {
    const samples = timeline("s8");
    const last = samples[samples.length - 1]!;
    const e = estimateCompletion(samples, { maxDowntimeMs: 300 });
    expect(e.lambda).toBeNull();
    expect(e.etaMs! / ((last.remainingBytes / last.transferRateBps) * 1000)).toBeCloseTo(1, 1);
    expect(e.band!.lowMs).toBeLessThanOrEqual(e.etaMs!);
    expect(e.band!.highMs).toBeGreaterThanOrEqual(e.etaMs!);
  });

  it("gives a band that contains the estimate on the converging end of s2b", () => {
    const samples = timeline("s2b");
    const e = estimateCompletion(samples, { maxDowntimeMs: 300 });
    expect(e.etaMs).not.toBeNull();
    expect(e.etaMs!).toBeLessThan(5000);
    expect(e.band!.lowMs).toBeLessThanOrEqual(e.etaMs!);
    expect(e.band!.highMs).toBeGreaterThanOrEqual(e.etaMs!);
  });
});
