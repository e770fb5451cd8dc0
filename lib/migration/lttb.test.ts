import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { downsampleSamples, lttb } from "./lttb";
import { parseTimelineCsv } from "./timeline-csv";
import type { MigrationSample } from "./types";

type P = { t: number; v: number };
const xs = (p: P) => p.t;
const ys = (p: P) => p.v;
const series = (n: number, f: (i: number) => number): P[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * 1000, v: f(i) }));

describe("lttb", () => {
  it("returns the input (a copy) when it is short enough or the threshold is degenerate", () => {
    const s = series(10, (i) => i);
    expect(lttb(s, 10, xs, ys)).toEqual(s);
    expect(lttb(s, 50, xs, ys)).not.toBe(s);
    expect(lttb(s, 2, xs, ys)).toEqual(s);
    expect(lttb([], 5, xs, ys)).toEqual([]);
  });

  it("returns exactly `threshold` points in order, first and last kept", () => {
    const s = series(3600, (i) => Math.sin(i / 50) * 100);
    for (const n of [3, 10, 500, 1500]) {
      const out = lttb(s, n, xs, ys);
      expect(out).toHaveLength(n);
      expect(out[0]).toBe(s[0]);
      expect(out.at(-1)).toBe(s.at(-1));
      for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
    }
  });

  it("keeps a lone spike and a lone dip that averaging would flatten", () => {
    const s = series(1000, (i) => (i === 437 ? 1000 : i === 712 ? -1000 : 0));
    const out = lttb(s, 50, xs, ys);
    expect(out).toContain(s[437]);
    expect(out).toContain(s[712]);
  });

  it("keeps the peaks and troughs of the real remaining-bytes saw-tooth (s2b)", () => {
    const samples = parseTimelineCsv(
      readFileSync(new URL("./fixtures/s2b-domjobinfo-timeline.csv", import.meta.url), "utf8"),
    );
    const out = lttb(
      samples,
      60,
      (s) => s.atMs,
      (s) => s.remainingBytes,
    );
    const remaining = samples.map((s) => s.remainingBytes);
    expect(out.map((s) => s.remainingBytes)).toContain(Math.max(...remaining));
    expect(out.map((s) => s.remainingBytes)).toContain(
      Math.min(...samples.filter((s) => s.totalBytes > 0).map((s) => s.remainingBytes)),
    );
  });
});

describe("downsampleSamples", () => {
  const hour: MigrationSample[] = Array.from({ length: 3600 }, (_, i) => ({
    atMs: i * 1000,
    elapsedMs: i * 1000,
    processedBytes: i * 1e6,
    remainingBytes: 5e8 - (i % 60) * 8e6,
    totalBytes: 5.4e8,
    dirtyRateBps: 1e7,
    transferRateBps: 8e6,
    iteration: 1 + Math.floor(i / 60),
    throttlePct: 0,
    expectedDowntimeMs: 30_000,
    postcopyRequests: 0,
  }));

  it("fits an hour at 1 Hz into the budget, keeping pass starts and event samples", () => {
    const events = [1_234_567, 2_000_400];
    const out = downsampleSamples(hour, 1500, events);
    expect(out.length).toBeGreaterThanOrEqual(1500);
    expect(out.length).toBeLessThan(1500 + 60 + events.length);
    expect(out.map((s) => s.atMs)).toEqual(expect.arrayContaining([1_235_000, 2_000_000]));
    for (let p = 1; p < 60; p++) expect(out.map((s) => s.atMs)).toContain(p * 60_000);
    for (let i = 1; i < out.length; i++) expect(out[i]!.atMs).toBeGreaterThan(out[i - 1]!.atMs);
  });

  it("leaves short histories alone", () => {
    expect(downsampleSamples(hour.slice(0, 100), 1500)).toEqual(hour.slice(0, 100));
  });
});
