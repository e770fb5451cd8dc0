// The shapes of a window's report (window-report.ts): the rows it is computed from and what it
// computes. Types only.
import type { Bars, Gantt, HistogramBin } from "./report-charts";

export type ReportWindow = {
  id: string;
  name: string;
  state: string;
  startedAt: number | null;
  endedAt: number | null;
  downtimeBudgetMs: number;
  policyName: string | null;
};

/** One migration attempt of the window. Times are epoch ms. */
export type ReportMigration = {
  id: string;
  vmName: string;
  source: string;
  dest: string;
  state: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  totalTimeMs: number | null;
  downtimeMs: number | null;
  dataBytes: number | null;
  /** Last verdict of the live assessment (converging, stalled, wont-converge, too-early). */
  verdict: string | null;
  error: string | null;
  /** Where the guest is after the attempt ended (lib/migration/whereabouts.ts), null if never asked. */
  guestLocation: string | null;
  guestLocationHost: string | null;
  /** The landed guest's health (checking, healthy, unhealthy, unknown); null = not checked. */
  guestHealth: string | null;
};

export type ReportMove = {
  vmName: string;
  sourceHost: string;
  state: string;
  plannedStartMs: number;
  plannedEndMs: number;
};

/** Operator and policy controls (MigrationEvent "<type>-requested"), one row per migration, type and actor. */
export type ReportAction = {
  migrationId: string;
  source: "operator" | "policy";
  type: string;
  actor: string;
  count: number;
};

/** Window buttons pressed by people (AuditLog window.*), grouped. */
export type ReportWindowAction = { action: string; actor: string; count: number };

export type TrendRow = {
  windowId: string;
  name: string;
  startedAt: number;
  drainMs: number | null;
  migrations: number;
  failed: number;
  totalDowntimeMs: number;
  p95DowntimeMs: number | null;
};

export type DirtyRates = { peakDirtyBps: number | null; peakTransferBps: number | null };

export type ReportInput = {
  window: ReportWindow;
  migrations: ReportMigration[];
  moves: ReportMove[];
  unplaced: { vmName: string; reason: string }[];
  /** Dirty rates measured for the plan, by VM name. */
  plannedDirtyBps: Record<string, number>;
  actions: ReportAction[];
  windowActions: ReportWindowAction[];
  /** Sample aggregates, only for the migrations that did not converge on their own. */
  dirtyRates: Record<string, DirtyRates>;
  trend: TrendRow[];
};

export type NotConverged = {
  migrationId: string;
  vmName: string;
  route: string;
  state: string;
  verdict: string | null;
  help: string[];
  plannedDirtyBps: number | null;
  peakDirtyBps: number | null;
  peakTransferBps: number | null;
  durationMs: number | null;
};
export type TableRow = ReportMigration & {
  durationMs: number | null;
  escalations: number;
  interventions: number;
  convergedAlone: boolean;
};

export type WindowReport = {
  window: ReportWindow;
  headline: {
    vms: { planned: number; moved: number; failed: number; notStarted: number; notPlaced: number };
    attempts: {
      total: number;
      completed: number;
      failed: number;
      aborted: number;
      inFlight: number;
      landedUnhealthy: number;
      healthUnknown: number;
    };
    drainMs: number | null;
    migrationTime: { totalMs: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null };
    dataBytes: number;
    downtime: {
      budgetMs: number;
      p50Ms: number | null;
      p95Ms: number | null;
      maxMs: number | null;
      overBudget: number;
      measured: number;
    };
    interventions: number;
    escalations: number;
  };
  unplaced: { vmName: string; reason: string }[];
  interventions: { kind: "migration" | "window"; button: string; actor: string; count: number }[];
  escalations: { step: string; actor: string; count: number }[];
  durationBars: Bars;
  downtimeBars: Bars;
  histogram: HistogramBin[];
  gantt: Gantt;
  notConverged: NotConverged[];
  rows: TableRow[];
  trend: (TrendRow & { current: boolean })[];
};
