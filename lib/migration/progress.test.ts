import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstPassPct, liveProgress, nextProgress } from "./progress";
import { synthesizeRun } from "./synthetic";
import { parseTimelineCsv } from "./timeline-csv";
import { GIB, type MigrationSample } from "./types";

const timeline = (name: string) =>
  parseTimelineCsv(readFileSync(new URL(`./fixtures/${name}-domjobinfo-timeline.csv`, import.meta.url), "utf8"));
const fold = (samples: MigrationSample[]) => samples.reduce<number>((p, s) => nextProgress(p, s), 0);

describe("progress: a percentage only where one is true", () => {
  it("never shows a percentage on the real never-converging s2a: first copy, then pass N and what is left", () => {
    // Found live: the old bar (100 − 100·remaining/total, held at 99) read 98–99 % on this run.
    const samples = timeline("s2a");
    const shown = samples.map((s, i) => liveProgress("running", s, fold(samples.slice(0, i + 1))));
    const pcts = shown.flatMap((p) => (p.kind === "first-pass" ? [p.pct] : []));
    expect(pcts.length).toBeGreaterThan(0);
    // Every percentage shown is of the first copy, read before the first re-sync.
    const firstResync = samples.findIndex((s) => s.iteration > 1);
    expect(shown.slice(firstResync).every((p) => p.kind === "passes")).toBe(true);
    const last = shown.at(-1)!;
    expect(last).toEqual({
      kind: "passes",
      pass: samples.at(-1)!.iteration,
      remainingBytes: samples.at(-1)!.remainingBytes,
    });
  });

  it("the first-copy percentage never goes backwards and the stored value means 'first copy done' after it", () => {
    for (const name of ["s1", "s2a", "s2b"]) {
      const samples = timeline(name);
      let prev = 0;
      for (const s of samples) {
        const next = nextProgress(prev, s);
        expect(next).toBeGreaterThanOrEqual(prev);
        if (s.iteration <= 1) expect(next).toBeLessThan(100);
        prev = next;
      }
      expect(prev).toBe(100); // every capture got past its first copy
    }
  });

  it("is the share of the first copy sent; setup samples and other passes have none", () => {
    const s = { totalBytes: 1000, remainingBytes: 250, iteration: 1, postcopyRequests: 0 };
    expect(firstPassPct(s)).toBe(75);
    expect(firstPassPct({ ...s, remainingBytes: 0 })).toBe(99.9);
    expect(firstPassPct({ ...s, iteration: 2 })).toBeNull();
    expect(firstPassPct({ ...s, totalBytes: 0 })).toBeNull();
    expect(nextProgress(42, { ...s, totalBytes: 0 })).toBe(42);
    expect(nextProgress(42, s, { completed: true })).toBe(100);
  });

  it("a failed or cancelled migration shows no percentage; a completed one 100 %; no data yet is 'starting'", () => {
    const { samples } = synthesizeRun({
      memoryBytes: 4 * GIB,
      dirtyRateBps: 0.5 * GIB,
      bandwidthBps: GIB,
      maxDowntimeMs: 300,
    });
    const mid = samples[1]!;
    for (const state of ["failed", "cancelled", "lost"])
      expect(liveProgress(state, mid, 85)).toEqual({ kind: "ended", state });
    expect(liveProgress("completed", mid, 85)).toEqual({ kind: "completed" });
    expect(liveProgress("running", undefined)).toEqual({ kind: "starting" });
    expect(liveProgress("running", { ...mid, totalBytes: 0, remainingBytes: 0 })).toEqual({ kind: "starting" });
    expect(liveProgress("running", mid, 0)).toEqual({ kind: "first-pass", pct: 50 });
    expect(liveProgress("postcopy", { ...mid, iteration: 4, postcopyRequests: 3 })).toEqual({
      kind: "postcopy",
      remainingBytes: mid.remainingBytes,
    });
  });
});
