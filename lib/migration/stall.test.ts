import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstVerdict, replayAssessments, verdictFlips } from "./replay";
import { PrecopyMigration } from "@/sim/physics/precopy";
import { sampleJob } from "@/sim/physics/job-samples";
import { liveWhatIfState } from "./live-state";
import { recommendFix } from "./fix-advice";
import { assessConvergence, type ConvergenceAssessment } from "./stall";
import { synthesizeRun } from "./synthetic";
import { parseTimelineCsv } from "./timeline-csv";
import { GIB, type MigrationSample, MIB } from "./types";

// Real 1 Hz domjobinfo timelines from the two-host lab (libvirt 9.0, QEMU 7.2), copied from
// shared/fixtures/virsh-9.0-qemu-7.2. atMs = elapsed ms of the job.
const timeline = (name: string) =>
  parseTimelineCsv(readFileSync(new URL(`./fixtures/${name}-domjobinfo-timeline.csv`, import.meta.url), "utf8"));
const NOT_CONVERGING = ["stalled", "wont-converge"] as const;

describe("verdicts on the real lab timelines", () => {
  it("s1 (256 MiB hot set at 8 MiB/s): won't converge as soon as the first re-sync is seen, within 30 s", () => {
    const steps = replayAssessments(timeline("s1"), { maxDowntimeMs: 300 });
    const flip = firstVerdict(steps, NOT_CONVERGING)!;
    expect(flip.sample.elapsedMs).toBeLessThanOrEqual(30_000);
    expect(flip.sample.elapsedMs).toBe(21_975);
    expect(flip.assessment.verdict).toBe("wont-converge");
    expect(flip.assessment.reason).toMatch(/λ = 1\.48/);
    // Never "converging" again while the guest runs: the lab suspended it at ≈ 83 s.
    expect(
      steps.filter((s) => s.sample.elapsedMs >= 21_975).every((s) => s.assessment.verdict === "wont-converge"),
    ).toBe(true);
    // Nothing before the first re-sync pretends to know.
    expect(steps.filter((s) => s.sample.elapsedMs < 21_975).every((s) => s.assessment.verdict === "too-early")).toBe(
      true,
    );
  });

  it("s2a (plain, 32 MiB/s): not converging within 30 s of data, and it stays so", () => {
    const steps = replayAssessments(timeline("s2a"), { maxDowntimeMs: 300 });
    const flip = firstVerdict(steps, NOT_CONVERGING)!;
    expect(flip.sample.elapsedMs).toBeLessThanOrEqual(30_000);
    expect(flip.sample.elapsedMs).toBe(18_717);
    const after = steps.filter((s) => s.sample.atMs >= flip.sample.atMs);
    expect(after.every((s) => NOT_CONVERGING.includes(s.assessment.verdict as never))).toBe(true);
    expect(after.at(-1)!.assessment).toMatchObject({ verdict: "wont-converge", etaMs: null });
  });

  it("s2a without the λ rule still stalls within 30 s on low-water marks alone", () => {
    // Max downtime so large that "far above" never holds: only the stall rule can fire.
    const samples = timeline("s2a");
    const steps = samples.map((s, i) => ({
      s,
      a: assessConvergence(samples.slice(0, i + 1), { nowMs: s.atMs, maxDowntimeMs: 2500 }),
    }));
    const stalled = steps.find((x) => x.a.verdict === "stalled")!;
    expect(stalled.s.elapsedMs).toBe(26_993); // two passes after the low of pass 2 (11.5 s)
    expect(stalled.a.passesSinceLow).toBe(2);
    expect(stalled.a.reason).toMatch(/No new low of remaining bytes for 2 passes/);
  });

  it("s2b (auto-converge): never stalled or won't-converge, and ends converging with a short ETA", () => {
    for (const autoConverge of [undefined, true, false]) {
      const steps = replayAssessments(timeline("s2b"), { maxDowntimeMs: 300, autoConverge });
      expect(
        steps.filter((s) => s.assessment.verdict !== "converging" && s.assessment.verdict !== "too-early"),
      ).toEqual([]);
      const last = steps.at(-1)!.assessment;
      expect(last.verdict).toBe("converging");
      expect(last.etaMs!).toBeLessThan(5_000);
    }
  });

  it("s2b explains the flat stretch: the throttle is still being stepped up", () => {
    const samples = timeline("s2b");
    const mid = samples.filter((s) => s.elapsedMs <= 60_000);
    const a = assessConvergence(mid, { nowMs: mid.at(-1)!.atMs, maxDowntimeMs: 300 });
    expect(a).toMatchObject({ verdict: "converging", throttleRamping: true });
    expect(a.reason).toMatch(/stepping the throttle up \(40 % now/);
    // Real completion came at ≈ 130 s; the ramp estimate is in that region.
    expect(mid.at(-1)!.atMs + a.etaMs!).toBeGreaterThan(100_000);
    expect(mid.at(-1)!.atMs + a.etaMs!).toBeLessThan(160_000);
    // Once the 80 % throttle bites (pass 16, 121 s) the volumes fall and the plain estimate takes over.
    const end = samples.filter((s) => s.elapsedMs <= 122_100);
    const b = assessConvergence(end, { nowMs: end.at(-1)!.atMs, maxDowntimeMs: 300 });
    expect(b).toMatchObject({ verdict: "converging", throttleRamping: false, passesSinceLow: 0 });
  });

  it("s3c (plain, 32 MiB/s): won't converge at the second re-sync", () => {
    const flip = firstVerdict(replayAssessments(timeline("s3c"), { maxDowntimeMs: 300 }), NOT_CONVERGING)!;
    expect(flip.assessment.verdict).toBe("wont-converge");
    expect(flip.sample.elapsedMs).toBe(15_785);
  });

  it("s8 (post-copy): converging, with the post-copy reason and a bounded ETA", () => {
    const samples = timeline("s8");
    const a = assessConvergence(samples, { nowMs: samples.at(-1)!.atMs, maxDowntimeMs: 300 });
    expect(a.verdict).toBe("converging");
    expect(a.reason).toMatch(/Post-copy/);
    expect(a.since).toBe(12_768);
    expect(a.etaMs!).toBeLessThan(2_000);
  });

  it("s1 suspended at 83 s: converging, ETA to the real end (≈ 138 s) within 10 %", () => {
    const samples = timeline("s1");
    const upTo = samples.filter((s) => s.elapsedMs <= 84_800);
    const a = assessConvergence(upTo, { nowMs: upTo.at(-1)!.atMs, maxDowntimeMs: 300, pausedAtMs: 83_000 });
    expect(a.verdict).toBe("converging");
    expect(a.since).toBe(83_000);
    const predictedEnd = upTo.at(-1)!.atMs + a.etaMs!;
    expect(Math.abs(predictedEnd - 138_000) / (138_000 - 84_794)).toBeLessThan(0.1);
  });

  it("flips in order too-early → not converging on s2a (the badge the UI shows)", () => {
    const flips = verdictFlips(replayAssessments(timeline("s2a"), { maxDowntimeMs: 300 })).map(
      (s) => s.assessment.verdict,
    );
    expect(flips).toEqual(["too-early", "converging", "wont-converge"]);
  });
});

describe("verdicts on synthetic runs", () => {
  it("a converging geometric run (λ = 0.8) is never stalled and its ETA is right", () => {
    const { samples, completedAtMs } = synthesizeRun({
      memoryBytes: 8 * GIB,
      dirtyRateBps: 0.88 * GIB,
      bandwidthBps: 1.1 * GIB,
      maxDowntimeMs: 300,
    });
    const steps = replayAssessments(samples, { maxDowntimeMs: 300 });
    expect(steps.every((s) => s.assessment.verdict === "converging" || s.assessment.verdict === "too-early")).toBe(
      true,
    );
    const last = steps.at(-1)!;
    expect(last.sample.atMs + last.assessment.etaMs!).toBeCloseTo(completedAtMs!, -1);
  });

  it("a genuine λ = 0.95 guest (5 % smaller each pass) stays converging, not won't-converge", () => {
    const { samples } = synthesizeRun({
      memoryBytes: 2 * GIB,
      dirtyRateBps: 0.95 * 256 * MIB,
      bandwidthBps: 256 * MIB,
      maxDowntimeMs: 300,
      untilMs: 120_000,
    });
    const steps = replayAssessments(samples, { maxDowntimeMs: 300 });
    expect(steps.filter((s) => s.assessment.verdict === "wont-converge" || s.assessment.verdict === "stalled")).toEqual(
      [],
    );
  });

  it("a λ = 0.99 guest is flagged: > 100 passes to go is not converging", () => {
    const { samples } = synthesizeRun({
      memoryBytes: 2 * GIB,
      dirtyRateBps: 0.99 * 256 * MIB,
      bandwidthBps: 256 * MIB,
      maxDowntimeMs: 300,
      untilMs: 120_000,
    });
    const flip = firstVerdict(replayAssessments(samples, { maxDowntimeMs: 300 }), NOT_CONVERGING);
    expect(flip).toBeDefined();
    expect(flip!.sample.atMs).toBeLessThan(30_000);
  });

  it("a link that moves nothing for 30 s is stalled, whatever the pass", () => {
    const base: MigrationSample = {
      atMs: 0,
      elapsedMs: 0,
      processedBytes: 10 * MIB,
      remainingBytes: 500 * MIB,
      totalBytes: 512 * MIB,
      dirtyRateBps: 0,
      transferRateBps: 8 * MIB,
      iteration: 1,
      throttlePct: 0,
      expectedDowntimeMs: 300,
      postcopyRequests: 0,
    };
    const samples = Array.from({ length: 40 }, (_, i) => ({
      ...base,
      atMs: i * 1000,
      elapsedMs: i * 1000,
      transferRateBps: i < 2 ? 8 * MIB : 0,
    }));
    expect(assessConvergence(samples.slice(0, 20), { nowMs: 19_000, maxDowntimeMs: 300 }).verdict).toBe("too-early");
    const a = assessConvergence(samples, { nowMs: 39_000, maxDowntimeMs: 300 });
    expect(a).toMatchObject({ verdict: "stalled", since: 30_000 });
    expect(a.reason).toMatch(/No data moved/);
  });

  it("is too early without data", () => {
    expect(assessConvergence([], { nowMs: 0, maxDowntimeMs: 300 })).toMatchObject({
      verdict: "too-early",
      since: null,
      etaMs: null,
    });
  });

  it("returns plain JSON (it is stored and pushed over SSE as is)", () => {
    const samples = timeline("s2a");
    const a = assessConvergence(samples, { nowMs: samples.at(-1)!.atMs, maxDowntimeMs: 300 });
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});

describe("recommendFix (from the what-if engine)", () => {
  const stuck: ConvergenceAssessment = {
    verdict: "wont-converge",
    since: 0,
    reason: "",
    etaMs: null,
    lambda: 1,
    expectedDowntimeMs: 1800,
    passesSinceLow: 3,
    throttleRamping: false,
  };
  // seed-000 on the demo: batch-stress-01, uncapped, auto-converge off; the path carries 1121 MiB/s
  // while the NIC's nominal speed would allow 1192, and the guest re-dirties a 2 GiB hot set.
  const link = 1121 * MIB;
  const run = (params: { maxBandwidthBps?: number; autoConverge?: boolean } = {}) => {
    const m = new PrecopyMigration({
      memoryBytes: 16 * GIB,
      workload: { dirtyRateBps: 2.5 * GIB, workingSetBytes: 2 * GIB, zeroFraction: 0.5, cpuBound: true },
      params,
      seed: 1,
    });
    return sampleJob(m, link, 40);
  };
  const stateOf = (samples: MigrationSample[], capBps: number | null = null) =>
    liveWhatIfState(samples, { capBps, maxDowntimeMs: 300, autoConverge: null, learnedPathBps: null });

  it("offers nothing while converging", () => {
    const state = stateOf(run());
    expect(
      recommendFix({ ...stuck, verdict: "converging" }, { autoConverge: false, postcopyArmed: false, state }),
    ).toEqual({ fixes: [], wontHelp: [] });
  });

  it("seed-000: never offers more bandwidth on an uncapped job — the path, not the NIC, is the limit", () => {
    const state = stateOf(run())!;
    expect(state.pathBps / MIB).toBeGreaterThan(1100);
    expect(state.pathBps / MIB).toBeLessThan(1130);
    const { fixes, wontHelp } = recommendFix(stuck, { autoConverge: false, postcopyArmed: false, state });
    expect(fixes.map((f) => f.action)).not.toContain("set-bandwidth");
    expect(wontHelp.find((f) => f.action === "set-bandwidth")?.reason).toMatch(
      /path was measured carrying 11\d\d MiB\/s/,
    );
    // Every offered fix carries a predicted outcome that converges, least disruptive first.
    expect(fixes.at(-1)!.action).toBe("abort");
    for (const f of fixes.slice(0, -1)) expect(f.outcome?.converges).toBe(true);
    expect(fixes[0]!.action).toBe("set-max-downtime");
    // The hot set is 2 GiB (1.8 s at 1121 MiB/s) and λ reads 1.00, so the guest may re-dirty all of
    // it before every sync: the whole hot set must fit the downtime.
    expect(fixes[0]!.params!.ms).toBeGreaterThan(1800);
    expect(fixes[0]!.params!.ms).toBeLessThan(2100);
  });

  it("offers the cap's removal only when the path was seen carrying more and it holds at the pessimistic end; applied, it lands", () => {
    const capped = () =>
      new PrecopyMigration({
        memoryBytes: 16 * GIB,
        workload: { dirtyRateBps: 2.5 * GIB, workingSetBytes: 2 * GIB, zeroFraction: 0.5, cpuBound: true },
        params: { maxBandwidthBps: 400 * MIB, downtimeLimitMs: 2000 },
        seed: 1,
      });
    const samples = sampleJob(capped(), link, 40);
    const unknown = recommendFix(stuck, {
      autoConverge: false,
      postcopyArmed: false,
      state: stateOf(samples, 400 * MIB),
    });
    expect(unknown.fixes.map((f) => f.action)).not.toContain("set-bandwidth");
    const at = (ms: number) =>
      liveWhatIfState(samples, { capBps: 400 * MIB, maxDowntimeMs: ms, autoConverge: null, learnedPathBps: link });
    // 1.5 s: the 2 GiB hot set needs 1.83 s at 1121 MiB/s once the guest re-dirties it all each
    // pass (λ reads 1.00 at the cap, so the measured rate is only a floor): not offered.
    expect(
      recommendFix(stuck, { autoConverge: false, postcopyArmed: false, state: at(1500) }).fixes.map((f) => f.action),
    ).not.toContain("set-bandwidth");
    const bw = recommendFix(stuck, { autoConverge: false, postcopyArmed: false, state: at(2000) }).fixes.find(
      (f) => f.action === "set-bandwidth",
    );
    expect(bw?.params?.bps).toBe(link);
    expect(bw?.outcome?.converges).toBe(true);
    // Applied to the same job at the same moment, it lands.
    const m = capped();
    for (let s = 0; s < samples.length; s++) m.advance(1000, link);
    m.setMaxBandwidth(link);
    for (let s = 0; s < 120 && m.phase !== "completed"; s++) m.advance(1000, link);
    expect(m.phase).toBe("completed");
  });

  it("a max-downtime fix predicted from a floor dirty rate holds: applied, the job lands", () => {
    const samples = run();
    const fix = recommendFix(stuck, { autoConverge: false, postcopyArmed: false, state: stateOf(samples) }).fixes[0];
    expect(fix?.action).toBe("set-max-downtime");
    const m = new PrecopyMigration({
      memoryBytes: 16 * GIB,
      workload: { dirtyRateBps: 2.5 * GIB, workingSetBytes: 2 * GIB, zeroFraction: 0.5, cpuBound: true },
      params: {},
      seed: 1,
    });
    for (let s = 0; s < samples.length; s++) m.advance(1000, link);
    m.setDowntimeLimit(fix?.params?.ms ?? 0);
    for (let s = 0; s < 60 && m.phase !== "completed"; s++) m.advance(1000, link);
    expect(m.phase).toBe("completed");
  });

  it("a fix that did not help is not offered again", () => {
    const state = stateOf(run());
    const { fixes, wontHelp } = recommendFix(stuck, {
      autoConverge: false,
      postcopyArmed: false,
      state,
      didNotHelp: new Set(["set-max-downtime"]),
    });
    expect(fixes.map((f) => f.action)).not.toContain("set-max-downtime");
    expect(wontHelp.find((f) => f.action === "set-max-downtime")?.reason).toMatch(/did not help/);
  });

  it("never offers post-copy unless armed, nor throttle-harder at the cap", () => {
    const state = stateOf(run());
    const { fixes } = recommendFix(stuck, {
      autoConverge: true,
      postcopyArmed: false,
      state: state && { ...state, throttlePct: 99 },
    });
    expect(fixes.map((f) => f.action)).not.toContain("switch-to-postcopy");
    expect(fixes.map((f) => f.action)).not.toContain("throttle-harder");
  });
});
