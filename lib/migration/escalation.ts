// Escalation policies: what the system does on its own when a migration stops converging. Policies
// are data (admins edit them as JSON, validated by escalationPolicySchema); nextEscalation is a pure
// evaluator the worker calls after each verdict, recording the returned `recordAs` once it acted.
// A step's action is an operator control's own name (operator-actions.ts): what a policy does is
// audited and shown under the same name as the button an operator would press.
import { z } from "zod";
import { multilineText } from "@/lib/schemas/text";
import type { ConvergenceAssessment } from "./stall";
import { duration } from "./text";
import type { OperatorAction } from "./operator-actions";
import { GIB } from "./types";

const base = {
  /** Stable name of the step (what stepsDone records); defaults to "<n>-<action>". */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9@._-]{0,63}$/)
    .optional(),
  /**
   * stalled: verdict stalled or won't converge; wont-converge: only the latter;
   * elapsed-per-gib: a completion deadline (perGiBSeconds × GiB of memory, at least 2 GiB as Nova
   * counts) that fires whatever the verdict and before any other step.
   */
  when: z.enum(["stalled", "wont-converge", "elapsed-per-gib"]),
  /** How long the condition must have held, counted from the verdict's start or the previous step. */
  afterSeconds: z.number().min(0).max(86_400).optional(),
  perGiBSeconds: z.number().positive().max(86_400).optional(),
};

const stepSchema = z
  .discriminatedUnion("action", [
    z.strictObject({
      ...base,
      action: z.literal("set-max-downtime" satisfies OperatorAction),
      toMs: z.number().int().min(1).max(2_000_000),
      /** Raise by this much per firing until toMs (each firing waits afterSeconds); absent = in one go. */
      stepMs: z.number().int().min(1).max(2_000_000).optional(),
    }),
    z.strictObject({
      ...base,
      action: z.literal("throttle-harder" satisfies OperatorAction),
      initial: z.number().int().min(1).max(99),
      increment: z.number().int().min(1).max(99),
    }),
    z.strictObject({ ...base, action: z.literal("switch-to-postcopy" satisfies OperatorAction) }),
    z.strictObject({ ...base, action: z.literal("suspend-to-finish" satisfies OperatorAction) }),
    z.strictObject({ ...base, action: z.literal("abort" satisfies OperatorAction) }),
  ])
  .refine((s) => (s.when === "elapsed-per-gib") === (s.perGiBSeconds !== undefined), {
    message: "perGiBSeconds is required with when = elapsed-per-gib, and only there",
  });

export const escalationPolicySchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and dashes"),
    description: multilineText(0, 500).optional(),
    steps: z.array(stepSchema).min(1).max(20),
  })
  .refine((p) => new Set(p.steps.map(stepId)).size === p.steps.length, { message: "step ids must be unique" });

export type EscalationStep = z.infer<typeof stepSchema>;
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;

export function stepId(step: EscalationStep, index?: number): string {
  if (step.id) return step.id;
  const n = index === undefined ? "" : `${index + 1}-`;
  return step.action === "set-max-downtime" ? `${n}set-max-downtime-${step.toMs}` : `${n}${step.action}`;
}

export const BUILT_IN_POLICIES: readonly EscalationPolicy[] = [
  {
    name: "default",
    description:
      "Raise max downtime 300 → 500 → 1000 ms after a stall, then throttle harder (auto-converge only), then suspend to finish; abort after 150 s per GiB (KubeVirt's completion timeout).",
    steps: [
      { id: "downtime-500", when: "stalled", afterSeconds: 0, action: "set-max-downtime", toMs: 500 },
      { id: "downtime-1000", when: "stalled", afterSeconds: 20, action: "set-max-downtime", toMs: 1000 },
      {
        id: "throttle-harder",
        when: "stalled",
        afterSeconds: 30,
        action: "throttle-harder",
        initial: 50,
        increment: 20,
      },
      { id: "suspend", when: "stalled", afterSeconds: 60, action: "suspend-to-finish" },
      { id: "timeout-abort", when: "elapsed-per-gib", perGiBSeconds: 150, action: "abort" },
    ],
  },
  {
    name: "conservative",
    description:
      "Never disrupts the guest: only raises max downtime (500, then 1000 ms), then aborts after Nova's 800 s per GiB.",
    steps: [
      { id: "downtime-500", when: "stalled", afterSeconds: 30, action: "set-max-downtime", toMs: 500 },
      { id: "downtime-1000", when: "stalled", afterSeconds: 60, action: "set-max-downtime", toMs: 1000 },
      { id: "timeout-abort", when: "elapsed-per-gib", perGiBSeconds: 800, action: "abort" },
    ],
  },
  {
    name: "aggressive",
    description:
      "Finish at almost any cost: 1 s downtime at once, throttle hard, post-copy if armed, else suspend; abort only after 150 s per GiB.",
    steps: [
      { id: "downtime-1000", when: "stalled", afterSeconds: 0, action: "set-max-downtime", toMs: 1000 },
      {
        id: "throttle-harder",
        when: "stalled",
        afterSeconds: 10,
        action: "throttle-harder",
        initial: 60,
        increment: 20,
      },
      { id: "postcopy", when: "stalled", afterSeconds: 20, action: "switch-to-postcopy" },
      { id: "suspend", when: "stalled", afterSeconds: 20, action: "suspend-to-finish" },
      { id: "timeout-abort", when: "elapsed-per-gib", perGiBSeconds: 150, action: "abort" },
    ],
  },
];

export type EscalationContext = {
  assessment: Pick<ConvergenceAssessment, "verdict" | "since">;
  /** Same clock as assessment.since. */
  nowMs: number;
  /** Job time so far (for the per-GiB deadline). */
  elapsedMs: number;
  memoryBytes: number;
  /** `recordAs` of every decision already acted on. */
  stepsDone: readonly string[];
  /** When the previous policy step fired: the next one waits its afterSeconds from there. */
  lastStepAtMs?: number | null;
  opts: {
    autoConverge: boolean;
    postcopyArmed: boolean;
    guestPaused: boolean;
    maxDowntimeMs: number;
    throttlePct?: number;
  };
};

export type EscalationDecision = {
  step: EscalationStep;
  stepId: string;
  /** What to append to stepsDone once done (differs from stepId for partial downtime raises). */
  recordAs: string;
  /** For set-max-downtime: the value to set now. */
  setDowntimeMs?: number;
  reason: string;
};

/** Steps that cannot act in this migration are passed over (never fired, never blocking). */
function inapplicable(step: EscalationStep, o: EscalationContext["opts"]): boolean {
  switch (step.action) {
    case "set-max-downtime":
      return o.maxDowntimeMs >= step.toMs;
    case "throttle-harder":
      return !o.autoConverge || o.guestPaused || (o.throttlePct ?? 0) >= 99;
    case "switch-to-postcopy":
      return !o.postcopyArmed;
    case "suspend-to-finish":
      return o.guestPaused;
    case "abort":
      return false;
  }
}

function decide(step: EscalationStep, id: string, c: EscalationContext, why: string): EscalationDecision {
  if (step.action === "set-max-downtime") {
    const to = step.stepMs ? Math.min(step.toMs, c.opts.maxDowntimeMs + step.stepMs) : step.toMs;
    return {
      step,
      stepId: id,
      recordAs: to === step.toMs ? id : `${id}@${to}`,
      setDowntimeMs: to,
      reason: `${why}: raise max downtime ${duration(c.opts.maxDowntimeMs)} → ${duration(to)}.`,
    };
  }
  const what = {
    "throttle-harder": "throttle harder",
    "switch-to-postcopy": "switch to post-copy",
    "suspend-to-finish": "suspend the guest to finish",
    abort: "abort",
  }[step.action];
  return { step, stepId: id, recordAs: id, reason: `${why}: ${what}.` };
}

/**
 * The next step to take, or null. Deadlines (elapsed-per-gib) come first; the other steps fire in
 * policy order, each once, and a step whose condition does not hold yet makes the later ones wait.
 */
export function nextEscalation(policy: EscalationPolicy, c: EscalationContext): EscalationDecision | null {
  const done = new Set(c.stepsDone);
  const steps = policy.steps.map((step, i) => ({ step, id: stepId(step, i) }));
  const gib = Math.max(2, c.memoryBytes / GIB);
  for (const { step, id } of steps) {
    if (step.when !== "elapsed-per-gib" || done.has(id) || inapplicable(step, c.opts)) continue;
    const limitMs = (step.perGiBSeconds ?? 0) * gib * 1000;
    if (c.elapsedMs >= limitMs)
      return decide(
        step,
        id,
        c,
        `Policy ${policy.name}: still running after ${duration(c.elapsedMs)} (limit ${step.perGiBSeconds} s/GiB = ${duration(limitMs)})`,
      );
  }
  const v = c.assessment.verdict;
  for (const { step, id } of steps) {
    if (step.when === "elapsed-per-gib" || done.has(id) || inapplicable(step, c.opts)) continue;
    const matches = step.when === "stalled" ? v === "stalled" || v === "wont-converge" : v === "wont-converge";
    if (!matches || c.assessment.since === null) return null;
    const from = Math.max(c.assessment.since, c.lastStepAtMs ?? -Infinity);
    const heldMs = c.nowMs - from;
    if (heldMs < (step.afterSeconds ?? 0) * 1000) return null;
    const verdict = v === "stalled" ? "stalled" : "won't converge";
    return decide(step, id, c, `Policy ${policy.name}: ${verdict} for ${duration(c.nowMs - c.assessment.since)}`);
  }
  return null;
}
