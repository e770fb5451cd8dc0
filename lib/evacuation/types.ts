// What a planned maintenance window stores in MaintenanceWindow.plan (JSON): the planner's Plan as
// is, plus what the planner was told and what it could not be told. Pure types, shared by the
// planner step, the worker and the pages.
import type { Plan } from "@/lib/planner/evacuate";

export type RateNote = {
  vmId: string;
  vmName: string;
  dirtyRateBps: number;
  /** false: the measurement failed and a conservative estimate was used instead. */
  measured: boolean;
  note?: string;
};

export type StoredPlan = Plan & {
  plannedAt: string;
  /** The hosts and VMs it was computed from (schedule.ts): a scheduled start re-plans when they differ. */
  fleetSignature?: string;
  /** Dirty rates measured over SSH just before planning (1 s, all VMs in parallel). */
  rates: RateNote[];
  /** VMs on the drained hosts the plan does not move, and why (not running, already migrating). */
  notMoved: { vmId: string; vmName: string; reason: string }[];
  /** Everything the planner was not told but the operator should know (hosts left out, estimates). */
  notes: string[];
  hostNames: Record<string, string>;
  settings: {
    maxOutbound: number;
    maxInbound: number;
    maxDowntimeMs: number;
    autoConvergeWhenNeeded: boolean;
    /** Addition (issue 17): what else the window's policy allowed the planner (strategiesFromPolicy). */
    strategies?: { postCopy: boolean; suspendAtEnd: boolean };
    policyName: string | null;
  };
};

/** How many times a move may be started: the first attempt and two retries elsewhere. */
export const MAX_ATTEMPTS = 3;
