import "server-only";
import { transaction } from "@/lib/db/client";
import {
  claimDueStarts,
  currentFleetSignature,
  recordScheduleFailure,
  scheduledWindow,
  startClaimed,
} from "@/lib/db/window-schedule";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { storePlan } from "@/lib/db/plans";
import { type MeasureFn, preparePlan } from "./plan-window";
import { replanReasons, startDecision } from "./schedule";
import type { StoredPlan } from "./types";

// The worker's scheduled start: claim due windows (lease), re-plan when the approved plan is stale
// or the fleet moved under it, then start — on the approver's behalf (lib/db/window-schedule.ts).

/** Held while re-planning (dirty rates: ≤ 15 s) and starting; a dead worker's claim lapses after it. */
const LEASE_MS = 60_000;
/** A start that failed (hosts busy, re-plan failed) is tried again after this. */
const RETRY_MS = 30_000;

export type ScheduleDeps = { now: () => Date; replanAfterMs: number; measure?: MeasureFn };

/** One pass: returns the windows this worker started. */
export async function runScheduledStarts(workerId: string, deps: ScheduleDeps): Promise<string[]> {
  const now = deps.now();
  const started: string[] = [];
  for (const id of await claimDueStarts(workerId, now, LEASE_MS)) {
    const w = await scheduledWindow(id);
    if (!w) continue;
    const decision = startDecision(w, now);
    if (decision.do === "wait") continue;
    if (decision.do === "expire") {
      await recordScheduleFailure(id, workerId, decision.reason, { retryAt: now, disarm: true });
      continue;
    }
    try {
      const reasons = replanReasons(
        w.plan as StoredPlan | null,
        await currentFleetSignature(),
        now,
        deps.replanAfterMs,
      );
      // Measuring dirty rates takes SSH time: outside the transaction that stores and starts.
      const prepared = reasons.length ? await preparePlan(id, deps.measure) : null;
      await transaction(
        async (t) => {
          if (prepared) await storePlan(t, id, prepared, { keepArmed: true });
          await startClaimed(t, id, workerId, deps.now(), { replanned: reasons });
        },
        { timeout: 10_000 },
      );
      log.info("window started by schedule", { windowId: id, replanned: reasons });
      started.push(id);
    } catch (e) {
      if (!(e instanceof AppError)) log.error("scheduled start failed", { windowId: id, error: e });
      const why = e instanceof AppError ? e.message : "internal error (see the worker's log)";
      // An approver who may no longer start it ends the schedule; anything else is retried.
      const disarm = e instanceof AppError && e.code === "FORBIDDEN";
      await recordScheduleFailure(id, workerId, `not started: ${why}`, {
        retryAt: new Date(now.getTime() + RETRY_MS),
        disarm,
      });
    }
  }
  return started;
}
