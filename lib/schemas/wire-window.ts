// The maintenance window as its page polls it (GET /api/windows/:id) and /api/v1/windows/{id} serves
// it, with the stored plan (MaintenanceWindow.plan, a JSON column) parsed by the same schema.
// The window's half of the wire shapes in lib/schemas/wire.ts; browser-safe (zod only).
import { z } from "zod";
import type { StoredPlan } from "@/lib/evacuation/types";
import { STRATEGIES } from "@/lib/planner/evacuate-types";
import { migrationState } from "@/lib/schemas/wire";

const isoTime = z.iso.datetime();
const nullableTime = isoTime.nullable();
const vmReason = z.object({ vmId: z.string(), vmName: z.string(), reason: z.string() });

/** The planner's Plan (lib/planner/evacuate-types.ts) and what planning stored next to it (lib/evacuation/types.ts). */
export const storedPlan = z.object({
  moves: z.array(
    z
      .object({
        vmId: z.string(),
        vmName: z.string(),
        sourceHostId: z.string(),
        destHostId: z.string(),
        startMs: z.number(),
        endMs: z.number(),
        bandwidthBps: z.number(),
        maxBandwidthBps: z.number().optional(),
        autoConverge: z.boolean(),
        // Plans stored before issue 17's strategies say only whether auto-converge was on.
        strategy: z.enum(STRATEGIES).optional(),
        switchAfterMs: z.number().optional(),
        lambda: z.number(),
        order: z.number(),
      })
      .transform(({ strategy, ...m }) => ({
        ...m,
        strategy: strategy ?? (m.autoConverge ? ("auto-converge" as const) : ("plain" as const)),
      })),
  ),
  unplaced: z.array(vmReason),
  flagged: z.array(vmReason),
  makespanMs: z.number(),
  lowerBoundMs: z.number(),
  lowerBoundWhy: z.string().optional(),
  ratioToLowerBound: z.number(),
  plannedAt: isoTime,
  fleetSignature: z.string().optional(),
  rates: z.array(
    z.object({
      vmId: z.string(),
      vmName: z.string(),
      dirtyRateBps: z.number(),
      measured: z.boolean(),
      note: z.string().optional(),
    }),
  ),
  notMoved: z.array(vmReason),
  notes: z.array(z.string()),
  hostNames: z.record(z.string(), z.string()),
  settings: z.object({
    maxOutbound: z.number(),
    maxInbound: z.number(),
    maxDowntimeMs: z.number(),
    autoConvergeWhenNeeded: z.boolean(),
    strategies: z.object({ postCopy: z.boolean(), suspendAtEnd: z.boolean() }).optional(),
    policyName: z.string().nullable(),
  }),
}) satisfies z.ZodType<StoredPlan>;

const WINDOW_STATES = ["draft", "planned", "running", "paused", "completed", "cancelled"] as const;
const moveState = z.enum(["pending", "started", "completed", "failed", "skipped", "cancelled"]);

/** How many moves are in each state, and in all. */
export const windowProgress = z.object({
  pending: z.number(),
  started: z.number(),
  completed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  cancelled: z.number(),
  total: z.number(),
});
export type Progress = z.infer<typeof windowProgress>;

/** One migration a move started (the Gantt chart's actual bars). */
export const attemptView = z.object({
  migrationId: z.string(),
  destHost: z.string(),
  state: migrationState,
  createdAt: isoTime,
  startedAt: nullableTime,
  endedAt: nullableTime,
  error: z.string().nullable(),
});
export type AttemptView = z.infer<typeof attemptView>;

export const moveView = z.object({
  id: z.string(),
  order: z.number(),
  vmName: z.string(),
  sourceHost: z.string(),
  destHost: z.string(),
  plannedStartMs: z.number(),
  plannedEndMs: z.number(),
  lambda: z.number().nullable(),
  autoConverge: z.boolean(),
  /** How it is (to be) launched (issue 17): plain, auto-converge, suspend-at-end or post-copy. */
  strategy: z.enum(STRATEGIES),
  state: moveState,
  attempts: z.number(),
  lastError: z.string().nullable(),
  failedDestHosts: z.array(z.string()),
  migrationId: z.string().nullable(),
  /** Every migration this move started, oldest first. */
  history: z.array(attemptView),
});
export type MoveView = z.infer<typeof moveView>;

/**
 * The stored plan as the window's page and API show it: its moves are left out, since `moves` below
 * carries each of them with its state (at 5,000 moves the plan's copy was 1.1 MB of a 3 MB view).
 */
export const planView = storedPlan.omit({ moves: true }).extend({ moveCount: z.number() });
export type PlanView = z.infer<typeof planView>;

export const windowView = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(WINDOW_STATES),
  startsAt: isoTime,
  endsAt: isoTime,
  createdAt: isoTime,
  startedAt: nullableTime,
  endedAt: nullableTime,
  downtimeBudgetMs: z.number(),
  maxOutbound: z.number(),
  maxInbound: z.number(),
  policyName: z.string().nullable(),
  hosts: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), runningVms: z.number() })),
  excludedHosts: z.array(z.string()),
  antiAffinity: z.record(z.string(), z.array(z.string())),
  plan: planView.nullable(),
  moves: z.array(moveView),
  progress: windowProgress,
  /** Webhook targets (origin only: their paths are often secrets) and the alerts sent for this window, newest first. */
  alertWebhooks: z.array(z.object({ target: z.string(), format: z.string(), events: z.array(z.string()) })),
  alerts: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      summary: z.string(),
      target: z.string(),
      format: z.string(),
      attempts: z.number(),
      lastError: z.string().nullable(),
      deliveredAt: nullableTime,
      gaveUpAt: nullableTime,
      createdAt: isoTime,
    }),
  ),
  /** Scheduled start (armed = its plan approved by armedBy; the worker starts it and stops launches at its end). */
  schedule: z.object({
    armedAt: nullableTime,
    armedBy: z.string().nullable(),
    startedBySchedule: z.boolean(),
    launchEndedAt: nullableTime,
    error: z.string().nullable(),
  }),
  /** Server clock, so the "now" line does not depend on the browser's. */
  now: isoTime,
});
export type WindowView = z.infer<typeof windowView>;
