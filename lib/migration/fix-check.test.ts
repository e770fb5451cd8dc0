import { describe, expect, it } from "vitest";
import { sampleJob } from "@/sim/physics/job-samples";
import { PrecopyMigration } from "@/sim/physics/precopy";
import { checkAppliedFixes, failedFixes } from "./fix-check";
import { liveWhatIfState } from "./live-state";
import { GIB, MIB } from "./types";

// A guest re-dirtying a 2 GiB hot set faster than the 1121 MiB/s the path carries (seed-000).
const LINK = 1121 * MIB;
const job = (cap?: number) =>
  new PrecopyMigration({
    memoryBytes: 16 * GIB,
    workload: { dirtyRateBps: 2.5 * GIB, workingSetBytes: 2 * GIB, zeroFraction: 0.5, cpuBound: true },
    params: cap ? { maxBandwidthBps: cap } : {},
    seed: 2,
  });
const stateAt = (cap: number | null) => (before: Parameters<typeof liveWhatIfState>[0]) =>
  liveWhatIfState(before, { capBps: cap, maxDowntimeMs: 300, autoConverge: null, learnedPathBps: LINK });
const shifted = (xs: ReturnType<typeof sampleJob>, by: number) => xs.map((s) => ({ ...s, atMs: s.atMs + by }));

describe("checkAppliedFixes", () => {
  it("says a bandwidth raise above what the path carries did not help (λ unchanged), and it is not offered again", () => {
    const m = job();
    const before = sampleJob(m, LINK, 30);
    m.setMaxBandwidth(1192 * MIB); // the nominal NIC: the path still carries 1121 MiB/s
    const after = shifted(sampleJob(m, LINK, 20), 30_000);
    const checks = checkAppliedFixes(
      [...before, ...after],
      [{ atMs: 30_000, type: "set-bandwidth", params: { bps: 1192 * MIB } }],
      stateAt(null),
    );
    expect(checks).toHaveLength(1);
    expect(checks[0]!.verdict).toBe("did-not-help");
    expect(checks[0]!.line).toMatch(
      /^bandwidth raised: λ 1\.\d\d → 1\.\d\d, did not help \(predicted: does not converge\)$/,
    );
    expect(failedFixes(checks)).toEqual(new Set(["set-bandwidth"]));
  });

  it("says a cap lifted to what the path carries helped (more throughput)", () => {
    const m = job(300 * MIB);
    const before = sampleJob(m, LINK, 30);
    m.setMaxBandwidth(LINK);
    const after = shifted(sampleJob(m, LINK, 12), 30_000);
    const checks = checkAppliedFixes(
      [...before, ...after],
      [{ atMs: 30_000, type: "set-bandwidth", params: { bps: LINK } }],
      stateAt(300 * MIB),
    );
    expect(checks[0]!.verdict).toBe("helped");
    expect(failedFixes(checks).size).toBe(0);
  });

  it("waits for a few samples before judging", () => {
    const m = job();
    const before = sampleJob(m, LINK, 30);
    const after = shifted(sampleJob(m, LINK, 2), 30_000);
    const checks = checkAppliedFixes(
      [...before, ...after],
      [{ atMs: 30_000, type: "set-max-downtime", params: { ms: 500 } }],
      stateAt(null),
    );
    expect(checks[0]!.verdict).toBe("checking");
    expect(checks[0]!.line).toMatch(/^max downtime raised: checking/);
  });
});
