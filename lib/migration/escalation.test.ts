import { describe, expect, it } from "vitest";
import {
  BUILT_IN_POLICIES,
  type EscalationContext,
  type EscalationDecision,
  type EscalationPolicy,
  escalationPolicySchema,
  nextEscalation,
  stepId,
} from "./escalation";
import type { Verdict } from "./stall";
import { GIB, MIB } from "./types";

const policy = (name: string) => BUILT_IN_POLICIES.find((p) => p.name === name)!;

type Opts = EscalationContext["opts"];
const baseOpts: Opts = {
  autoConverge: true,
  postcopyArmed: false,
  guestPaused: false,
  maxDowntimeMs: 300,
  throttlePct: 40,
};

/**
 * Drives a policy the way the worker would: one evaluation per second against a fixed verdict,
 * applying each decision (downtime raised, guest paused…) and recording it.
 */
function drive(
  p: EscalationPolicy,
  verdict: Verdict,
  opts: Partial<Opts> = {},
  seconds = 300,
  memoryBytes = 512 * MIB,
) {
  const o: Opts = { ...baseOpts, ...opts };
  const done: string[] = [];
  const fired: { at: number; d: EscalationDecision }[] = [];
  let last: number | null = null;
  for (let t = 0; t <= seconds; t++) {
    const nowMs = 100_000 + t * 1000;
    const d = nextEscalation(p, {
      assessment: { verdict, since: 100_000 },
      nowMs,
      elapsedMs: 40_000 + t * 1000,
      memoryBytes,
      stepsDone: done,
      lastStepAtMs: last,
      opts: o,
    });
    if (!d) continue;
    fired.push({ at: t, d });
    done.push(d.recordAs);
    last = nowMs;
    if (d.setDowntimeMs) o.maxDowntimeMs = d.setDowntimeMs;
    if (d.step.action === "suspend-to-finish") o.guestPaused = true;
    // After an abort or the switch to post-copy there is no pre-copy left to escalate.
    if (d.step.action === "abort" || d.step.action === "switch-to-postcopy") break;
  }
  return fired;
}

describe("escalationPolicySchema", () => {
  it("accepts the built-in policies (they are what admins start from)", () => {
    for (const p of BUILT_IN_POLICIES) expect(escalationPolicySchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it("rejects what an admin could get wrong in JSON", () => {
    const ok = { name: "mine", steps: [{ when: "stalled", action: "abort" }] };
    expect(escalationPolicySchema.safeParse(ok).success).toBe(true);
    const bad = [
      { ...ok, name: "Has Spaces" },
      { ...ok, steps: [] },
      { ...ok, steps: [{ when: "stalled", action: "reboot" }] },
      { ...ok, steps: [{ when: "stalled", action: "abort", typo: 1 }] },
      { ...ok, steps: [{ when: "elapsed-per-gib", action: "abort" }] },
      { ...ok, steps: [{ when: "stalled", action: "abort", perGiBSeconds: 10 }] },
      { ...ok, steps: [{ when: "stalled", action: "set-max-downtime" }] },
      { ...ok, steps: [{ when: "stalled", action: "set-max-downtime", toMs: 3_000_000 }] },
      { ...ok, steps: [{ when: "stalled", action: "throttle-harder", initial: 120, increment: 10 }] },
      {
        ...ok,
        steps: [
          { id: "a", when: "stalled", action: "abort" },
          { id: "a", when: "stalled", action: "suspend-to-finish" },
        ],
      },
    ];
    for (const b of bad) expect(escalationPolicySchema.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });

  it("names unnamed steps by position and action", () => {
    expect(stepId({ when: "stalled", action: "set-max-downtime", toMs: 500 }, 0)).toBe("1-set-max-downtime-500");
    expect(stepId({ when: "stalled", action: "abort" }, 3)).toBe("4-abort");
  });
});

describe("nextEscalation", () => {
  it("default: 500 ms → 1000 ms → throttle harder → suspend, in order, each once, then the deadline", () => {
    const fired = drive(policy("default"), "stalled");
    expect(fired.map((f) => f.d.stepId)).toEqual([
      "downtime-500",
      "downtime-1000",
      "throttle-harder",
      "suspend",
      "timeout-abort",
    ]);
    // 512 MiB counts as 2 GiB: abort at 300 s of job time (the job was 40 s old at t = 0).
    expect(fired.map((f) => f.at)).toEqual([0, 20, 50, 110, 260]);
    expect(fired[0]!.d).toMatchObject({ setDowntimeMs: 500 });
    expect(fired[0]!.d.reason).toMatch(/Policy default: stalled .*raise max downtime 300 ms → 500 ms/);
    expect(new Set(fired.map((f) => f.d.recordAs)).size).toBe(fired.length);
  });

  it("default without auto-converge skips throttle-harder", () => {
    expect(drive(policy("default"), "wont-converge", { autoConverge: false }).map((f) => f.d.stepId)).toEqual([
      "downtime-500",
      "downtime-1000",
      "suspend",
      "timeout-abort",
    ]);
  });

  it("skips a downtime raise the operator already made", () => {
    expect(drive(policy("default"), "stalled", { maxDowntimeMs: 800 }).map((f) => f.d.stepId)[0]).toBe("downtime-1000");
  });

  it("default aborts after 150 s per GiB (2 GiB floor), even while converging", () => {
    const ctx = {
      assessment: { verdict: "converging" as Verdict, since: 0 },
      nowMs: 1,
      memoryBytes: 512 * MIB,
      stepsDone: [],
      opts: baseOpts,
    };
    expect(nextEscalation(policy("default"), { ...ctx, elapsedMs: 299_000 })).toBeNull();
    expect(nextEscalation(policy("default"), { ...ctx, elapsedMs: 300_000 })).toMatchObject({
      stepId: "timeout-abort",
      step: { action: "abort" },
    });
    expect(nextEscalation(policy("default"), { ...ctx, memoryBytes: 8 * GIB, elapsedMs: 1_199_000 })).toBeNull();
    expect(nextEscalation(policy("default"), { ...ctx, memoryBytes: 8 * GIB, elapsedMs: 1_200_000 })!.reason).toMatch(
      /150 s\/GiB/,
    );
    expect(nextEscalation(policy("default"), { ...ctx, elapsedMs: 300_000, stepsDone: ["timeout-abort"] })).toBeNull();
  });

  it("does nothing while converging or too early", () => {
    for (const v of ["converging", "too-early"] as const) expect(drive(policy("aggressive"), v, {}, 120)).toEqual([]);
  });

  it("conservative never disrupts the guest", () => {
    const fired = drive(policy("conservative"), "wont-converge", { postcopyArmed: true }, 2000);
    expect(fired.map((f) => f.d.step.action)).toEqual(["set-max-downtime", "set-max-downtime", "abort"]);
    expect(fired.at(-1)!.at).toBe(1600 - 40); // 800 s/GiB × 2 GiB, job already 40 s old
  });

  it("aggressive prefers post-copy when armed, else suspends", () => {
    expect(drive(policy("aggressive"), "stalled", { postcopyArmed: true }).map((f) => f.d.stepId)).toEqual([
      "downtime-1000",
      "throttle-harder",
      "postcopy",
    ]);
    expect(drive(policy("aggressive"), "stalled", {}, 100).map((f) => f.d.stepId)).toEqual([
      "downtime-1000",
      "throttle-harder",
      "suspend",
    ]);
  });

  it("a wont-converge step waits for that verdict, and holds back the steps after it", () => {
    const p: EscalationPolicy = {
      name: "strict",
      steps: [
        { id: "dt", when: "wont-converge", action: "set-max-downtime", toMs: 2000 },
        { id: "s", when: "stalled", action: "suspend-to-finish" },
      ],
    };
    expect(drive(p, "stalled")).toEqual([]);
    expect(drive(p, "wont-converge").map((f) => f.d.stepId)).toEqual(["dt", "s"]);
  });

  it("raises in steps of stepMs, one firing per afterSeconds", () => {
    const p: EscalationPolicy = {
      name: "ramp",
      steps: [{ id: "dt", when: "stalled", afterSeconds: 10, action: "set-max-downtime", toMs: 1000, stepMs: 300 }],
    };
    const fired = drive(p, "stalled");
    expect(fired.map((f) => f.d.setDowntimeMs)).toEqual([600, 900, 1000]);
    expect(fired.map((f) => f.d.recordAs)).toEqual(["dt@600", "dt@900", "dt"]);
    expect(fired.map((f) => f.at)).toEqual([10, 20, 30]);
  });

  it("waits afterSeconds from the verdict's start", () => {
    const p = policy("conservative");
    const ctx = { nowMs: 129_000, elapsedMs: 60_000, memoryBytes: GIB, stepsDone: [], opts: baseOpts };
    expect(nextEscalation(p, { ...ctx, assessment: { verdict: "stalled", since: 100_000 } })).toBeNull();
    expect(
      nextEscalation(p, { ...ctx, nowMs: 130_000, assessment: { verdict: "stalled", since: 100_000 } })!.stepId,
    ).toBe("downtime-500");
    expect(nextEscalation(p, { ...ctx, nowMs: 130_000, assessment: { verdict: "stalled", since: null } })).toBeNull();
  });
});
