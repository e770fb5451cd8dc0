"use server";

import { action } from "@/lib/actions/action";
import type { Tx } from "@/lib/db/client";
import { armWindow, disarmWindow } from "@/lib/db/window-schedule";
import { preparePlan, storePlan } from "@/lib/evacuation/plan-window";
import { AppError } from "@/lib/errors";
import type { WindowState } from "@/lib/generated/prisma/client";
import { findPolicy } from "@/lib/migration-ops/escalate";
import { createWindowInput, windowIdInput } from "@/lib/schemas/windows";

export const createWindowAction = action({ schema: createWindowInput, role: "operator", audit: "window.create" }, async ({ input, user, tx }) => {
  const policy = input.policyName === "none" ? null : await findPolicy(input.policyName);
  if (input.policyName !== "none" && !policy) throw new AppError("INVALID", `No escalation policy named ${input.policyName}.`);
  return tx(
    async (t) => {
      const hosts = await t.host.findMany({ where: { id: { in: [...input.hostIds, ...input.excludedHostIds] } }, select: { id: true, name: true, status: true } });
      const drained = hosts.filter((h) => input.hostIds.includes(h.id));
      if (drained.length !== input.hostIds.length) throw new AppError("NOT_FOUND", "A host to drain no longer exists: reload the page.");
      const notActive = drained.filter((h) => h.status !== "active");
      if (notActive.length) throw new AppError("CONFLICT", `Only hosts in service can be drained: ${notActive.map((h) => `${h.name} is ${h.status}`).join(", ")}.`);
      // MaintenanceWindow.policyId needs a row: a built-in policy is stored under its own name the
      // first time a window uses it (same steps, so findPolicy's answer does not change).
      const policyRow = policy ? await t.escalationPolicy.upsert({ where: { name: policy.name }, create: { name: policy.name, steps: policy.steps }, update: {} }) : null;
      const w = await t.maintenanceWindow.create({
        data: {
          name: input.name,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          downtimeBudgetMs: input.downtimeBudgetMs,
          maxOutbound: input.maxOutbound,
          maxInbound: input.maxInbound,
          policyId: policyRow?.id ?? null,
          excludedHostIds: input.excludedHostIds,
          antiAffinity: input.antiAffinity,
          alertWebhooks: input.alertWebhooks,
          createdById: user.id,
          hosts: { create: input.hostIds.map((hostId) => ({ hostId })) },
        },
      });
      return { windowId: w.id, hosts: drained.map((h) => h.name) };
    },
    (r) => ({ targetType: "window", targetId: r.windowId, after: { ...input, alertWebhooks: input.alertWebhooks.map((t) => ({ origin: new URL(t.url).origin, format: t.format, events: t.events })), hosts: r.hosts } }),
  );
});

/** The dry run: measures dirty rates over SSH (outside any transaction), plans, stores the plan. Nothing moves. */
export const planWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.plan" }, async ({ input, tx, setAudit }) => {
  setAudit({ targetType: "window", targetId: input.windowId });
  const prepared = await preparePlan(input.windowId);
  const p = prepared.plan;
  return tx(
    (t) => storePlan(t, input.windowId, prepared),
    (r) => ({
      targetType: "window",
      targetId: input.windowId,
      after: { state: "planned", moves: r.moves, disarmed: r.disarmed, unplaced: p.unplaced.length, flagged: p.flagged.length, makespanMs: p.makespanMs, lowerBoundMs: p.lowerBoundMs },
    }),
  );
});

export const runWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.run" }, async ({ input, tx }) =>
  tx(
    async (t) => {
      const w = await t.maintenanceWindow.findUnique({ where: { id: input.windowId }, include: { hosts: { include: { host: { select: { name: true } } } } } });
      if (!w) throw new AppError("NOT_FOUND", "No such maintenance window.");
      if (w.state !== "planned" || !w.plan) throw new AppError("CONFLICT", `Only a planned window can run; this one is ${w.state}.`);
      const busy = await t.windowHost.findMany({
        where: { hostId: { in: w.hosts.map((h) => h.hostId) }, window: { id: { not: w.id }, state: { in: ["running", "paused"] } } },
        include: { host: { select: { name: true } }, window: { select: { name: true } } },
      });
      if (busy.length) throw new AppError("CONFLICT", `Already being drained: ${busy.map((b) => `${b.host.name} by "${b.window.name}"`).join(", ")}.`);
      await moveState(t, input.windowId, ["planned"], "running", { startedAt: new Date() });
      return { windowId: w.id };
    },
    { targetType: "window", targetId: input.windowId, before: { state: "planned" }, after: { state: "running" } },
  ),
);

export const pauseWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.pause" }, async ({ input, tx }) =>
  tx((t) => moveState(t, input.windowId, ["running"], "paused"), { targetType: "window", targetId: input.windowId, before: { state: "running" }, after: { state: "paused" } }),
);

export const resumeWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.resume" }, async ({ input, tx }) =>
  tx((t) => moveState(t, input.windowId, ["paused"], "running"), { targetType: "window", targetId: input.windowId, before: { state: "paused" }, after: { state: "running" } }),
);

/**
 * Arms a planned window: the caller approves its plan, and the worker starts it at its start time on
 * the caller's behalf (re-planning first when the plan is stale or the fleet changed), then stops
 * launching at its end time.
 */
export const armWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.arm" }, async ({ input, user, tx }) =>
  tx(
    (t) => armWindow(t, input.windowId, { id: user.id, username: user.username }, new Date()),
    (r) => ({ targetType: "window", targetId: input.windowId, before: { armed: false }, after: { armed: true, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() } }),
  ),
);

export const disarmWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.disarm" }, async ({ input, tx }) =>
  tx((t) => disarmWindow(t, input.windowId), { targetType: "window", targetId: input.windowId, before: { armed: true }, after: { armed: false } }),
);

/** Cancels the moves not started yet; migrations in flight are left to finish (or to the operator's abort). */
export const cancelWindowAction = action({ schema: windowIdInput, role: "operator", audit: "window.cancel" }, async ({ input, tx }) =>
  tx(
    async (t) => {
      const before = await t.maintenanceWindow.findUnique({ where: { id: input.windowId }, select: { state: true } });
      await moveState(t, input.windowId, ["draft", "planned", "running", "paused"], "cancelled", { endedAt: new Date() });
      const cancelled = await t.evacuationMove.updateMany({ where: { windowId: input.windowId, state: "pending" }, data: { state: "cancelled", endedAt: new Date() } });
      const inFlight = await t.evacuationMove.count({ where: { windowId: input.windowId, state: "started" } });
      return { previous: before?.state ?? null, cancelledMoves: cancelled.count, inFlight };
    },
    (r) => ({ targetType: "window", targetId: input.windowId, before: { state: r.previous }, after: { state: "cancelled", cancelledMoves: r.cancelledMoves, leftInFlight: r.inFlight } }),
  ),
);

/** The state check is in the UPDATE itself: a window that changed meanwhile is refused, never half-updated. */
async function moveState(t: Tx, windowId: string, from: WindowState[], to: WindowState, data: { startedAt?: Date; endedAt?: Date } = {}) {
  const n = await t.maintenanceWindow.updateMany({ where: { id: windowId, state: { in: from } }, data: { ...data, state: to } });
  if (n.count === 0) {
    const w = await t.maintenanceWindow.findUnique({ where: { id: windowId }, select: { state: true } });
    if (!w) throw new AppError("NOT_FOUND", "No such maintenance window.");
    throw new AppError("CONFLICT", `This window is ${w.state}: it cannot become ${to}.`);
  }
  return { windowId, state: to };
}
