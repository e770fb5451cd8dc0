import "server-only";
import { lastPolicyStepAt } from "@/lib/db/migration-events";
import { claimEscalationStep } from "@/lib/db/migration-writes";
import { getStoredPolicy } from "@/lib/db/policies";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { log } from "@/lib/log";
import {
  BUILT_IN_POLICIES,
  type EscalationDecision,
  type EscalationPolicy,
  escalationPolicySchema,
  nextEscalation,
} from "@/lib/migration/escalation";
import type { ConvergenceAssessment } from "@/lib/migration/stall";
import type { ControlRequest } from "@/lib/migration/operator-actions";
import { applyControl } from "@/lib/migration-ops/controls";
import { storedLaunchOptions } from "@/lib/schemas/migrations";

// Policies are read on every sample of every migration; an admin's edit reaches the workers
// within this long.
const POLICY_TTL_MS = 5_000;
const policyCache = new Map<string, { at: number; policy: Promise<EscalationPolicy | null> }>();

/** Policies by name: the built-in ones, overridden or extended by admins' policies in Postgres. */
export function findPolicy(name: string | null): Promise<EscalationPolicy | null> {
  if (!name || name === "none") return Promise.resolve(null);
  const hit = policyCache.get(name);
  if (hit && Date.now() - hit.at < POLICY_TTL_MS) return hit.policy;
  const policy = readPolicy(name);
  policyCache.set(name, { at: Date.now(), policy });
  policy.catch(() => policyCache.delete(name));
  return policy;
}

async function readPolicy(name: string): Promise<EscalationPolicy | null> {
  const row = await getStoredPolicy(name);
  if (row) {
    const parsed = escalationPolicySchema.safeParse({ name: row.name, steps: row.steps });
    if (parsed.success) return parsed.data;
    log.warn("stored escalation policy is invalid; ignoring it", { name });
  }
  return BUILT_IN_POLICIES.find((p) => p.name === name) ?? null;
}

/**
 * Runs the migration's escalation policy after a verdict. A step is claimed in Postgres before it
 * acts (appended to escalationsDone only if absent), so with several workers — or a restarted one —
 * each step fires once; it is then applied through the same controls as the operator's buttons,
 * recorded as a "policy" event on the curves.
 */
export async function escalate(
  m: MigrationWithHosts,
  assessment: ConvergenceAssessment,
  elapsedMs: number,
  throttlePct: number,
): Promise<void> {
  const policy = await findPolicy(m.policyName);
  if (!policy) return;
  const o = storedLaunchOptions(m.options);
  const stepsDone = (m.escalationsDone as string[]) ?? [];
  const last =
    assessment.verdict === "stalled" || assessment.verdict === "wont-converge" ? await lastPolicyStepAt(m.id) : null;
  const decision = nextEscalation(policy, {
    assessment,
    nowMs: Date.now(),
    elapsedMs,
    memoryBytes: Number(m.memoryBytes),
    stepsDone,
    lastStepAtMs: last?.getTime() ?? null,
    opts: {
      autoConverge: o.autoConverge.enabled,
      postcopyArmed: o.postcopy,
      guestPaused: m.guestPaused,
      maxDowntimeMs: o.maxDowntimeMs,
      throttlePct,
    },
  });
  if (!decision) return;
  if (!(await claimEscalationStep(m.id, decision.recordAs))) return;
  await applyControl(
    m.id,
    { id: null, name: `policy ${policy.name}`, source: "policy" },
    `policy:${decision.recordAs}`,
    stepFor(decision),
  ).catch((e) => log.warn("escalation step failed", { migrationId: m.id, step: decision.recordAs, error: e }));
}

function stepFor(d: EscalationDecision): ControlRequest {
  switch (d.step.action) {
    case "set-max-downtime":
      return { action: "set-max-downtime", ms: d.setDowntimeMs ?? d.step.toMs };
    case "throttle-harder":
      return { action: "throttle-harder", initial: d.step.initial, increment: d.step.increment };
    case "switch-to-postcopy":
      return { action: "switch-to-postcopy" };
    case "suspend-to-finish":
      return { action: "suspend-to-finish" };
    case "abort":
      return { action: "abort" };
  }
}
