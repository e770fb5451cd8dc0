// Replays a recorded sample history through the verdict as the worker would have seen it, one
// sample at a time: for tests on the lab's real timelines and for the bench's stall-latency figure.
import { type AssessOptions, assessConvergence, type ConvergenceAssessment, type Verdict } from "./stall";
import type { MigrationSample } from "./types";

export type ReplayStep = { sample: MigrationSample; assessment: ConvergenceAssessment };

/** The assessment after each sample, with `nowMs` = that sample's time. */
export function replayAssessments(
  samples: readonly MigrationSample[],
  opts: Omit<AssessOptions, "nowMs">,
): ReplayStep[] {
  return samples.map((sample, i) => ({
    sample,
    assessment: assessConvergence(samples.slice(0, i + 1), { ...opts, nowMs: sample.atMs }),
  }));
}

/** The first replay step whose verdict is one of `verdicts`, or undefined. */
export function firstVerdict(steps: readonly ReplayStep[], verdicts: readonly Verdict[]): ReplayStep | undefined {
  return steps.find((s) => verdicts.includes(s.assessment.verdict));
}

/** Verdict changes only: where the UI's badge would flip. */
export function verdictFlips(steps: readonly ReplayStep[]): ReplayStep[] {
  return steps.filter((s, i) => i === 0 || s.assessment.verdict !== steps[i - 1]!.assessment.verdict);
}
