"use server";

import { action } from "@/lib/actions/action";
import { ensurePolicyRow } from "@/lib/db/policies";
import {
  cancelPendingMoves,
  createWindow,
  getWindowWithHostNames,
  hostsByIds,
  hostsDrainedElsewhere,
  moveWindowState as moveState,
  windowState,
} from "@/lib/db/window-writes";
import { armWindow, disarmWindow } from "@/lib/db/window-schedule";
import { storePlan } from "@/lib/db/plans";
import { preparePlan } from "@/lib/evacuation/plan-window";
import { AppError } from "@/lib/errors";
import { findPolicy } from "@/lib/migration-ops/escalate";
import { createWindowInput, windowIdInput } from "@/lib/schemas/windows";

export const createWindowAction = action(
  { schema: createWindowInput, role: "operator", audit: "window.create" },
  async ({ input, user, tx }) => {
    const policy = input.policyName === "none" ? null : await findPolicy(input.policyName);
    if (input.policyName !== "none" && !policy)
      throw new AppError("INVALID", `No escalation policy named ${input.policyName}.`);
    return tx(
      async (t) => {
        const hosts = await hostsByIds(t, [...input.hostIds, ...input.excludedHostIds]);
        const drained = hosts.filter((h) => input.hostIds.includes(h.id));
        if (drained.length !== input.hostIds.length)
          throw new AppError("NOT_FOUND", "A host to drain no longer exists: reload the page.");
        const notActive = drained.filter((h) => h.status !== "active");
        if (notActive.length)
          throw new AppError(
            "CONFLICT",
            `Only hosts in service can be drained: ${notActive.map((h) => `${h.name} is ${h.status}`).join(", ")}.`,
          );
        // MaintenanceWindow.policyId needs a row: a built-in policy is stored under its own name the
        // first time a window uses it (same steps, so findPolicy's answer does not change).
        const policyRow = policy ? await ensurePolicyRow(t, { name: policy.name, steps: policy.steps }) : null;
        const w = await createWindow(
          t,
          {
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
          },
          input.hostIds,
        );
        return { windowId: w.id, hosts: drained.map((h) => h.name) };
      },
      (r) => ({
        targetType: "window",
        targetId: r.windowId,
        after: {
          ...input,
          alertWebhooks: input.alertWebhooks.map((t) => ({
            origin: new URL(t.url).origin,
            format: t.format,
            events: t.events,
          })),
          hosts: r.hosts,
        },
      }),
    );
  },
);

/** The dry run: measures dirty rates over SSH (outside any transaction), plans, stores the plan. Nothing moves. */
export const planWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.plan" },
  async ({ input, tx, setAudit }) => {
    setAudit({ targetType: "window", targetId: input.windowId });
    const prepared = await preparePlan(input.windowId);
    const p = prepared.plan;
    return tx(
      (t) => storePlan(t, input.windowId, prepared),
      (r) => ({
        targetType: "window",
        targetId: input.windowId,
        after: {
          state: "planned",
          moves: r.moves,
          disarmed: r.disarmed,
          unplaced: p.unplaced.length,
          flagged: p.flagged.length,
          makespanMs: p.makespanMs,
          lowerBoundMs: p.lowerBoundMs,
        },
      }),
    );
  },
);

export const runWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.run" },
  async ({ input, tx }) =>
    tx(
      async (t) => {
        const w = await getWindowWithHostNames(t, input.windowId);
        if (!w) throw new AppError("NOT_FOUND", "No such maintenance window.");
        if (w.state !== "planned" || !w.plan)
          throw new AppError("CONFLICT", `Only a planned window can run; this one is ${w.state}.`);
        const busy = await hostsDrainedElsewhere(
          t,
          w.id,
          w.hosts.map((h) => h.hostId),
        );
        if (busy.length)
          throw new AppError(
            "CONFLICT",
            `Already being drained: ${busy.map((b) => `${b.host.name} by "${b.window.name}"`).join(", ")}.`,
          );
        await moveState(t, input.windowId, ["planned"], "running", { startedAt: new Date() });
        return { windowId: w.id };
      },
      { targetType: "window", targetId: input.windowId, before: { state: "planned" }, after: { state: "running" } },
    ),
);

export const pauseWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.pause" },
  async ({ input, tx }) =>
    tx((t) => moveState(t, input.windowId, ["running"], "paused"), {
      targetType: "window",
      targetId: input.windowId,
      before: { state: "running" },
      after: { state: "paused" },
    }),
);

export const resumeWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.resume" },
  async ({ input, tx }) =>
    tx((t) => moveState(t, input.windowId, ["paused"], "running"), {
      targetType: "window",
      targetId: input.windowId,
      before: { state: "paused" },
      after: { state: "running" },
    }),
);

/**
 * Arms a planned window: the caller approves its plan, and the worker starts it at its start time on
 * the caller's behalf (re-planning first when the plan is stale or the fleet changed), then stops
 * launching at its end time.
 */
export const armWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.arm" },
  async ({ input, user, tx }) =>
    tx(
      (t) => armWindow(t, input.windowId, { id: user.id, username: user.username }, new Date()),
      (r) => ({
        targetType: "window",
        targetId: input.windowId,
        before: { armed: false },
        after: { armed: true, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() },
      }),
    ),
);

export const disarmWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.disarm" },
  async ({ input, tx }) =>
    tx((t) => disarmWindow(t, input.windowId), {
      targetType: "window",
      targetId: input.windowId,
      before: { armed: true },
      after: { armed: false },
    }),
);

/** Cancels the moves not started yet; migrations in flight are left to finish (or to the operator's abort). */
export const cancelWindowAction = action(
  { schema: windowIdInput, role: "operator", audit: "window.cancel" },
  async ({ input, tx }) =>
    tx(
      async (t) => {
        const previous = await windowState(t, input.windowId);
        await moveState(t, input.windowId, ["draft", "planned", "running", "paused"], "cancelled", {
          endedAt: new Date(),
        });
        const { cancelled, inFlight } = await cancelPendingMoves(t, input.windowId);
        return { previous, cancelledMoves: cancelled, inFlight };
      },
      (r) => ({
        targetType: "window",
        targetId: input.windowId,
        before: { state: r.previous },
        after: { state: "cancelled", cancelledMoves: r.cancelledMoves, leftInFlight: r.inFlight },
      }),
    ),
);
