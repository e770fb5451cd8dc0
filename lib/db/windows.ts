import "server-only";
import { shownDeliveryError, storedWebhookTargets } from "@/lib/alerts/types";
import { listWindowAlerts } from "@/lib/db/alerts";
import { safeOrigin } from "@/lib/net/outbound-address";
import { db } from "@/lib/db/client";
import type { MoveState, WindowState } from "@/lib/generated/prisma/client";
import type { StoredPlan } from "@/lib/evacuation/types";
import { type PlanView, type Progress, storedPlan, type WindowView, windowView } from "@/lib/schemas/wire-window";
import type { Strategy } from "@/lib/planner/evacuate-types";

// Maintenance windows as pages and /api/windows/:id read them: plain, JSON-safe objects (dates as
// ISO strings, bytes as numbers).

export type WindowSummary = {
  id: string;
  name: string;
  state: WindowState;
  startsAt: string;
  endsAt: string;
  hosts: string[];
  progress: Progress;
  makespanMs: number | null;
  createdAt: string;
  /** Planned and armed: it starts itself at startsAt. */
  armed: boolean;
};

export async function listWindows(take = 100): Promise<WindowSummary[]> {
  const rows = await db.maintenanceWindow.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      name: true,
      state: true,
      startsAt: true,
      endsAt: true,
      plan: true,
      createdAt: true,
      armedAt: true,
      hosts: { select: { host: { select: { name: true } } } },
    },
  });
  const counts = await db.evacuationMove.groupBy({
    by: ["windowId", "state"],
    where: { windowId: { in: rows.map((r) => r.id) } },
    _count: true,
  });
  return rows.map((w) => ({
    id: w.id,
    name: w.name,
    state: w.state,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    hosts: w.hosts.map((h) => h.host.name).sort(),
    progress: progress(counts.filter((c) => c.windowId === w.id).map((c) => ({ state: c.state, n: c._count }))),
    makespanMs: storedPlan.nullable().parse(w.plan)?.makespanMs ?? null,
    createdAt: w.createdAt.toISOString(),
    armed: w.state === "planned" && w.armedAt !== null,
  }));
}

/** Hosts an operator may drain, with what runs on them (the form's checkboxes). */
export async function listDrainableHosts() {
  const hosts = await db.host.findMany({
    where: { status: { in: ["active", "maintenance"] } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, status: true, reachable: true, cpuModel: true, vms: { select: { state: true } } },
  });
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    status: h.status,
    reachable: h.reachable,
    cpuModel: h.cpuModel,
    vmCount: h.vms.length,
    runningVms: h.vms.filter((v) => v.state === "running").length,
  }));
}
export type DrainableHost = Awaited<ReturnType<typeof listDrainableHosts>>[number];

/** One window with its hosts, moves and every migration it launched, as stored. */
function findWindow(id: string) {
  return db.maintenanceWindow.findUnique({
    where: { id },
    include: {
      policy: { select: { name: true } },
      hosts: {
        include: {
          host: {
            select: { id: true, name: true, status: true, vms: { where: { state: "running" }, select: { id: true } } },
          },
        },
      },
      moves: { orderBy: { order: "asc" } },
      migrations: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          vmUuid: true,
          state: true,
          createdAt: true,
          startedAt: true,
          endedAt: true,
          error: true,
          destHostId: true,
        },
      },
    },
  });
}
type StoredWindow = NonNullable<Awaited<ReturnType<typeof findWindow>>>;

export async function getWindowView(id: string): Promise<WindowView | null> {
  const w = await findWindow(id);
  if (!w) return null;
  const [hostRows, alerts] = await Promise.all([
    db.host.findMany({ select: { id: true, name: true } }),
    listWindowAlerts(id),
  ]);
  const names = new Map(hostRows.map((h) => [h.id, h.name]));
  const name = (hostId: string) => names.get(hostId) ?? hostId.slice(0, 8);
  const plan = storedPlan.nullable().parse(w.plan);
  return {
    id: w.id,
    name: w.name,
    state: w.state,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    createdAt: w.createdAt.toISOString(),
    startedAt: w.startedAt?.toISOString() ?? null,
    endedAt: w.endedAt?.toISOString() ?? null,
    downtimeBudgetMs: w.downtimeBudgetMs,
    maxOutbound: w.maxOutbound,
    maxInbound: w.maxInbound,
    policyName: w.policy?.name ?? null,
    hosts: w.hosts
      .map((h) => ({ id: h.host.id, name: h.host.name, status: h.host.status, runningVms: h.host.vms.length }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    excludedHosts: w.excludedHostIds.map(name).sort(),
    antiAffinity: windowView.shape.antiAffinity.parse(w.antiAffinity ?? {}),
    plan: plan && withoutMoves(plan),
    moves: moveViews(w, name, new Map((plan?.moves ?? []).map((m) => [m.vmName, m]))),
    progress: progress(w.moves.map((m) => ({ state: m.state, n: 1 }))),
    alertWebhooks: (storedWebhookTargets.safeParse(w.alertWebhooks).data ?? []).map((t) => ({
      target: safeOrigin(t.url),
      format: t.format,
      events: t.events,
    })),
    alerts: alerts.map(alertView),
    schedule: {
      armedAt: w.armedAt?.toISOString() ?? null,
      armedBy: w.armedByName,
      startedBySchedule: w.startedBySchedule,
      launchEndedAt: w.launchEndedAt?.toISOString() ?? null,
      error: w.scheduleError,
    },
    now: new Date().toISOString(),
  };
}

/** The stored plan as the view shows it: its moves are in the view's own `moves`, with their state. */
function withoutMoves({ moves, ...plan }: StoredPlan): PlanView {
  return { ...plan, moveCount: moves.length };
}

/**
 * Each move with host names, its planned λ and strategy, and every attempt the window launched for
 * its VM. A move retried elsewhere launches without its planned switch (drain-decide's optionsFor),
 * so it shows the strategy it really runs with.
 */
function moveViews(
  w: StoredWindow,
  name: (hostId: string) => string,
  planned: Map<string, { lambda: number; strategy: Strategy }>,
): WindowView["moves"] {
  return w.moves.map((m) => ({
    id: m.id,
    order: m.order,
    vmName: m.vmName,
    sourceHost: name(m.sourceHostId),
    destHost: name(m.destHostId),
    plannedStartMs: m.plannedStartMs,
    plannedEndMs: m.plannedEndMs,
    lambda: planned.get(m.vmName)?.lambda ?? null,
    autoConverge: m.autoConverge,
    strategy:
      (m.failedDestIds.length === 0 ? planned.get(m.vmName)?.strategy : undefined) ??
      (m.autoConverge ? "auto-converge" : "plain"),
    state: m.state,
    attempts: m.attempts,
    lastError: m.lastError,
    failedDestHosts: m.failedDestIds.map(name),
    migrationId: m.migrationId,
    history: w.migrations
      .filter((l) => l.vmUuid === m.vmUuid)
      .map((l) => ({
        migrationId: l.id,
        destHost: name(l.destHostId),
        state: l.state,
        createdAt: l.createdAt.toISOString(),
        startedAt: l.startedAt?.toISOString() ?? null,
        endedAt: l.endedAt?.toISOString() ?? null,
        error: l.error,
      })),
  }));
}

function alertView(a: Awaited<ReturnType<typeof listWindowAlerts>>[number]): WindowView["alerts"][number] {
  return {
    id: a.id,
    kind: a.kind,
    summary: a.summary,
    // The receiver's origin only: webhook paths often carry a secret (Slack's do).
    target: safeOrigin(a.url),
    format: a.format,
    attempts: a.attempts,
    lastError: shownDeliveryError(a.lastError),
    deliveredAt: a.deliveredAt?.toISOString() ?? null,
    gaveUpAt: a.gaveUpAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

function progress(rows: { state: MoveState; n: number }[]): Progress {
  const p: Progress = { pending: 0, started: 0, completed: 0, failed: 0, skipped: 0, cancelled: 0, total: 0 };
  for (const r of rows) {
    p[r.state] += r.n;
    p.total += r.n;
  }
  return p;
}
