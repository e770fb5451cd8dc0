// A maintenance window's report, computed from plain rows (no I/O): the headline figures, the
// charts' data, the VMs that needed help to converge, the migrations table and the trend. The page,
// the CSV and the PDF all render this one object, so they always say the same thing.
//
// Definitions (what a manager reads):
// - VM outcomes come from the drain's moves: moved = move completed, failed = given up after its
//   retries, not started = skipped or cancelled; not placed = the plan found no slot for it.
// - Migration attempts: aborted = cancelled migrations (by an operator, a policy or before launch);
//   failed = failed or lost. A retried move has one failed attempt and one completed.
// - Landed, unhealthy: completed migrations whose guest then failed the health check on the
//   destination (crashed, paused, hung, no guest-ping or no TCP answer). They are counted apart:
//   the VM moved, but it is not serving; health not checked (unknown) is counted apart too.
// - Migration time and downtime are over completed migrations (one per moved VM); duration is
//   libvirt's total time, or start→end when the statistics could not be read. Data = every
//   attempt's bytes sent (failed attempts cost the network too).
// - Percentiles are nearest-rank (Postgres percentile_disc): an observed value, never interpolated.
// - "Did not converge on its own": the escalation policy stepped in, an operator applied a
//   convergence fix, or the last verdict was stalled / won't converge.

import { OPERATOR_ACTIONS } from "@/lib/migration/operator-actions";
import { ACTIVE_STATES } from "@/lib/migration/state-machine";
import { buildGantt, downtimeHistogram, topBars } from "./report-charts";

import type { ReportAction, ReportInput, ReportMigration, TableRow, WindowReport } from "./report-types";

export type {
  ReportWindow,
  ReportMigration,
  ReportMove,
  ReportAction,
  ReportWindowAction,
  TrendRow,
  DirtyRates,
  ReportInput,
  NotConverged,
  TableRow,
  WindowReport,
} from "./report-types";

/** Operator/policy controls that help a migration converge (abort does not). */
export const CONVERGENCE_FIXES: readonly string[] = OPERATOR_ACTIONS.filter((a) => a !== "abort");
/** Window buttons counted as interventions (plan and run are the normal course). */
export const WINDOW_INTERVENTIONS = ["window.pause", "window.resume", "window.cancel"];
export const NOT_CONVERGED_SHOWN = 50;
/** Nearest-rank percentile of ascending `sorted` (p in 0..1); null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

export function durationOf(m: Pick<ReportMigration, "totalTimeMs" | "startedAt" | "endedAt">): number | null {
  if (m.totalTimeMs !== null) return m.totalTimeMs;
  return m.startedAt !== null && m.endedAt !== null ? Math.max(0, m.endedAt - m.startedAt) : null;
}

/** Which migrations needed help: by the actions taken on them and their last verdict. */
export function didNotConvergeAlone(m: Pick<ReportMigration, "id" | "verdict">, actions: ReportAction[]): boolean {
  if (m.verdict === "stalled" || m.verdict === "wont-converge") return true;
  return actions.some((a) => a.migrationId === m.id && (a.source === "policy" || CONVERGENCE_FIXES.includes(a.type)));
}

/** Ids of the migrations that did not converge on their own (the loader reads their samples' rates). */
export function notConvergedIds(migrations: ReportMigration[], actions: ReportAction[]): string[] {
  const byId = groupActions(actions);
  return migrations.filter((m) => didNotConvergeAlone(m, byId.get(m.id) ?? [])).map((m) => m.id);
}

export function buildWindowReport(input: ReportInput): WindowReport {
  const { window: w, migrations, moves } = input;
  const actionsOf = groupActions(input.actions);
  const completed = migrations.filter((m) => m.state === "completed");
  const durations = ascending(completed.map(durationOf));
  const downtimes = ascending(completed.map((m) => m.downtimeMs));
  const over = (ms: number) => ms > w.downtimeBudgetMs;
  const interventions = interventionsOf(input);
  const escalations = escalationsOf(input);
  const rows = tableRows(migrations, actionsOf);
  return {
    window: w,
    headline: {
      ...outcomesOf(input, completed),
      drainMs: w.startedAt !== null && w.endedAt !== null ? w.endedAt - w.startedAt : null,
      migrationTime: {
        totalMs: sum(durations),
        p50Ms: percentile(durations, 0.5),
        p95Ms: percentile(durations, 0.95),
        maxMs: durations.at(-1) ?? null,
      },
      dataBytes: sum(migrations.map((m) => m.dataBytes ?? 0)),
      downtime: {
        budgetMs: w.downtimeBudgetMs,
        p50Ms: percentile(downtimes, 0.5),
        p95Ms: percentile(downtimes, 0.95),
        maxMs: downtimes.at(-1) ?? null,
        overBudget: downtimes.filter(over).length,
        measured: downtimes.length,
      },
      interventions: interventions.reduce((s, i) => s + i.count, 0),
      escalations: escalations.reduce((s, e) => s + e.count, 0),
    },
    unplaced: input.unplaced,
    interventions,
    escalations,
    durationBars: topBars(completed, durationOf, () => false),
    downtimeBars: topBars(completed, (m) => m.downtimeMs, over),
    histogram: downtimeHistogram(downtimes, w.downtimeBudgetMs),
    gantt: buildGantt(moves, migrations, w.startedAt),
    notConverged: notConvergedOf(rows, input, actionsOf),
    rows,
    trend: input.trend.map((t) => ({ ...t, current: t.windowId === w.id })),
  };
}

/** What happened to the VMs (by their moves) and to the migration attempts. */
function outcomesOf(
  input: ReportInput,
  completed: ReportMigration[],
): Pick<WindowReport["headline"], "vms" | "attempts"> {
  const { migrations, moves } = input;
  const count = (xs: { state: string }[], ...states: string[]) => xs.filter((x) => states.includes(x.state)).length;
  return {
    vms: {
      planned: moves.length,
      moved: count(moves, "completed"),
      failed: count(moves, "failed"),
      notStarted: count(moves, "skipped", "cancelled"),
      notPlaced: input.unplaced.length,
    },
    attempts: {
      total: migrations.length,
      completed: completed.length,
      failed: count(migrations, "failed", "lost"),
      aborted: count(migrations, "cancelled"),
      inFlight: count(migrations, ...ACTIVE_STATES),
      landedUnhealthy: completed.filter((m) => m.guestHealth === "unhealthy").length,
      healthUnknown: completed.filter((m) => m.guestHealth === "unknown").length,
    },
  };
}

/** Operators' migration controls and window buttons, per button and actor, most pressed first. */
function interventionsOf(input: ReportInput): WindowReport["interventions"] {
  return [
    ...sumBy(
      input.actions.filter((a) => a.source === "operator"),
      (a) => `${a.type}\u0000${a.actor}`,
    ).map(([a, n]) => ({ kind: "migration" as const, button: a.type, actor: a.actor, count: n })),
    ...input.windowActions
      .filter((a) => WINDOW_INTERVENTIONS.includes(a.action))
      .map((a) => ({
        kind: "window" as const,
        button: a.action.replace("window.", ""),
        actor: a.actor,
        count: a.count,
      })),
  ].sort((a, b) => b.count - a.count || a.button.localeCompare(b.button) || a.actor.localeCompare(b.actor));
}

/** The escalation policy's steps, per step and actor, most taken first. */
function escalationsOf(input: ReportInput): WindowReport["escalations"] {
  return sumBy(
    input.actions.filter((a) => a.source === "policy"),
    (a) => `${a.type}\u0000${a.actor}`,
  )
    .map(([a, n]) => ({ step: a.type, actor: a.actor, count: n }))
    .sort((a, b) => b.count - a.count || a.step.localeCompare(b.step));
}

/** The migrations table, in start order. */
function tableRows(migrations: ReportMigration[], actionsOf: Map<string, ReportAction[]>): TableRow[] {
  return migrations
    .map((m) => {
      const acts = actionsOf.get(m.id) ?? [];
      return {
        ...m,
        durationMs: durationOf(m),
        escalations: acts.filter((a) => a.source === "policy").reduce((s, a) => s + a.count, 0),
        interventions: acts.filter((a) => a.source === "operator").reduce((s, a) => s + a.count, 0),
        convergedAlone: !didNotConvergeAlone(m, acts),
      };
    })
    .sort(
      (a, b) =>
        (a.startedAt ?? a.createdAt) - (b.startedAt ?? b.createdAt) ||
        a.vmName.localeCompare(b.vmName) ||
        a.id.localeCompare(b.id),
    );
}

/** The migrations that needed help, hottest guest first. */
function notConvergedOf(
  rows: TableRow[],
  input: ReportInput,
  actionsOf: Map<string, ReportAction[]>,
): WindowReport["notConverged"] {
  return rows
    .filter((r) => !r.convergedAlone)
    .map((r) => ({
      migrationId: r.id,
      vmName: r.vmName,
      route: `${r.source} → ${r.dest}`,
      state: r.state,
      verdict: r.verdict,
      help: helpOf(r, actionsOf.get(r.id) ?? []),
      plannedDirtyBps: input.plannedDirtyBps[r.vmName] ?? null,
      peakDirtyBps: input.dirtyRates[r.id]?.peakDirtyBps ?? null,
      peakTransferBps: input.dirtyRates[r.id]?.peakTransferBps ?? null,
      durationMs: r.durationMs,
    }))
    .sort(
      (a, b) =>
        (b.peakDirtyBps ?? b.plannedDirtyBps ?? -1) - (a.peakDirtyBps ?? a.plannedDirtyBps ?? -1) ||
        a.vmName.localeCompare(b.vmName),
    );
}

/** Every migration page, for links; 1-based. */
export function pageOf<T>(rows: T[], page: number, size: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pages };
}

function helpOf(r: TableRow, acts: ReportAction[]): string[] {
  const help = acts
    .filter((a) => a.source === "policy" || CONVERGENCE_FIXES.includes(a.type))
    .map((a) => `${a.type} by ${a.actor}${a.count > 1 ? ` ×${a.count}` : ""}`)
    .sort();
  if (r.verdict === "stalled" || r.verdict === "wont-converge") help.push(`last verdict ${r.verdict}`);
  return help;
}

function groupActions(actions: ReportAction[]): Map<string, ReportAction[]> {
  const m = new Map<string, ReportAction[]>();
  for (const a of actions) m.set(a.migrationId, [...(m.get(a.migrationId) ?? []), a]);
  return m;
}

function sumBy<T extends { count: number }>(xs: T[], key: (x: T) => string): [T, number][] {
  const m = new Map<string, [T, number]>();
  for (const x of xs) {
    const k = key(x);
    const cur = m.get(k);
    m.set(k, [cur?.[0] ?? x, (cur?.[1] ?? 0) + x.count]);
  }
  return [...m.values()];
}

function ascending(xs: (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
}

function sum(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}
