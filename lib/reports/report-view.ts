// What the report page and the PDF print, defined once (labels, order, formatting), so the two
// cannot drift apart. Pure.
import { formatBytes } from "@/lib/format";
import { duration, rate } from "@/lib/migration/text";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import type { NotConverged, TableRow, TrendRow, WindowReport } from "./window-report";

export type HeadlineItem = {
  key: string;
  label: string;
  text: string;
  value: number | null;
  detail?: string;
  alarm?: boolean;
};

const ms = (v: number | null) => (v === null ? "—" : duration(v));

/** The headline figures, in the order the page and the PDF print them. */
export function headlineItems(r: WindowReport): HeadlineItem[] {
  return [
    ...outcomeItems(r.headline),
    ...timeItems(r.headline),
    ...downtimeItems(r.headline.downtime),
    ...operatorItems(r),
  ];
}

type Headline = WindowReport["headline"];

/** What happened to the VMs and to their migration attempts. */
function outcomeItems(h: Headline): HeadlineItem[] {
  return [
    { key: "vms-moved", label: "VMs moved", text: `${h.vms.moved} of ${h.vms.planned}`, value: h.vms.moved },
    {
      key: "vms-failed",
      label: "VMs failed",
      text: String(h.vms.failed),
      value: h.vms.failed,
      alarm: h.vms.failed > 0,
      detail: "given up after retries",
    },
    {
      key: "landed-unhealthy",
      label: "Landed, unhealthy",
      text: String(h.attempts.landedUnhealthy),
      value: h.attempts.landedUnhealthy,
      alarm: h.attempts.landedUnhealthy > 0,
      detail: `guest dead or not answering after landing${h.attempts.healthUnknown ? `; ${h.attempts.healthUnknown} not checked` : ""}`,
    },
    {
      key: "migrations-aborted",
      label: "Migrations aborted",
      text: String(h.attempts.aborted),
      value: h.attempts.aborted,
      alarm: h.attempts.aborted > 0,
    },
    {
      key: "vms-not-placed",
      label: "VMs not placed",
      text: String(h.vms.notPlaced),
      value: h.vms.notPlaced,
      alarm: h.vms.notPlaced > 0,
      detail: "no slot in the plan",
    },
    {
      key: "vms-not-started",
      label: "VMs not started",
      text: String(h.vms.notStarted),
      value: h.vms.notStarted,
      detail: "skipped or cancelled",
    },
    {
      key: "failed-attempts",
      label: "Failed attempts",
      text: String(h.attempts.failed),
      value: h.attempts.failed,
      detail: `of ${h.attempts.total} migration${h.attempts.total === 1 ? "" : "s"}${h.attempts.inFlight ? `, ${h.attempts.inFlight} in flight` : ""}`,
    },
  ];
}

/** How long the drain and its migrations took, and what they sent. */
function timeItems(h: Headline): HeadlineItem[] {
  return [
    {
      key: "drain-duration",
      label: "Drain duration",
      text: ms(h.drainMs),
      value: h.drainMs,
      detail: "run → end, wall clock",
    },
    {
      key: "migration-time-total",
      label: "Migration time, total",
      text: ms(h.migrationTime.totalMs),
      value: h.migrationTime.totalMs,
      detail: "sum over completed",
    },
    {
      key: "migration-time-p50",
      label: "Migration time p50",
      text: ms(h.migrationTime.p50Ms),
      value: h.migrationTime.p50Ms,
    },
    {
      key: "migration-time-p95",
      label: "Migration time p95",
      text: ms(h.migrationTime.p95Ms),
      value: h.migrationTime.p95Ms,
    },
    {
      key: "data-moved",
      label: "Data moved",
      text: formatBytes(h.dataBytes),
      value: h.dataBytes,
      detail: "all attempts",
    },
  ];
}

function downtimeItems(d: Headline["downtime"]): HeadlineItem[] {
  return [
    { key: "downtime-p50", label: "Downtime p50", text: ms(d.p50Ms), value: d.p50Ms },
    { key: "downtime-p95", label: "Downtime p95", text: ms(d.p95Ms), value: d.p95Ms },
    { key: "downtime-max", label: "Downtime max", text: ms(d.maxMs), value: d.maxMs },
    {
      key: "downtime-over-budget",
      label: "Over the downtime budget",
      text: `${d.overBudget} of ${d.measured}`,
      value: d.overBudget,
      alarm: d.overBudget > 0,
      detail: `budget ${d.budgetMs} ms per VM`,
    },
  ];
}

/** What the operator and the escalation policy did. */
function operatorItems(r: WindowReport): HeadlineItem[] {
  const h = r.headline;
  return [
    { key: "interventions", label: "Operator interventions", text: String(h.interventions), value: h.interventions },
    {
      key: "escalations",
      label: "Escalations triggered",
      text: String(h.escalations),
      value: h.escalations,
      detail: r.window.policyName ? `policy ${r.window.policyName}` : "no policy",
    },
  ];
}

type Column<T> = { label: string; text: (row: T) => string; numeric?: boolean; width: number };

/** The migrations table (page and PDF); `width` is the PDF column width in points. */
export const MIGRATION_COLUMNS: Column<TableRow>[] = [
  { label: "VM", text: (r) => r.vmName, width: 92 },
  { label: "Source → dest", text: (r) => `${r.source} → ${r.dest}`, width: 90 },
  // A failed attempt says where the guest is: "failed · running on hv1".
  {
    label: "State",
    text: (r) =>
      r.state !== "completed" && r.guestLocation
        ? `${r.state} · ${whereaboutsText({ location: r.guestLocation, host: r.guestLocationHost })}`
        : r.state,
    width: 52,
  },
  { label: "Started (UTC)", text: (r) => utc(r.startedAt ?? r.createdAt), width: 72 },
  { label: "Duration", text: (r) => ms(r.durationMs), numeric: true, width: 50 },
  { label: "Downtime", text: (r) => ms(r.downtimeMs), numeric: true, width: 50 },
  { label: "Data", text: (r) => formatBytes(r.dataBytes), numeric: true, width: 48 },
  { label: "Esc.", text: (r) => String(r.escalations), numeric: true, width: 24 },
  { label: "Int.", text: (r) => String(r.interventions), numeric: true, width: 24 },
];

export const NOT_CONVERGED_COLUMNS: Column<NotConverged>[] = [
  { label: "VM", text: (n) => n.vmName, width: 92 },
  { label: "Route", text: (n) => n.route, width: 80 },
  { label: "Outcome", text: (n) => n.state, width: 52 },
  {
    label: "Planned dirty",
    text: (n) => (n.plannedDirtyBps === null ? "—" : rate(n.plannedDirtyBps)),
    numeric: true,
    width: 58,
  },
  {
    label: "Peak dirty",
    text: (n) => (n.peakDirtyBps === null ? "—" : rate(n.peakDirtyBps)),
    numeric: true,
    width: 58,
  },
  {
    label: "Peak transfer",
    text: (n) => (n.peakTransferBps === null ? "—" : rate(n.peakTransferBps)),
    numeric: true,
    width: 58,
  },
  { label: "What it took", text: (n) => n.help.join("; "), width: 110 },
];

export const TREND_COLUMNS: Column<TrendRow>[] = [
  { label: "Window", text: (t) => t.name, width: 130 },
  { label: "Run (UTC)", text: (t) => utc(t.startedAt), width: 80 },
  { label: "Duration", text: (t) => ms(t.drainMs), numeric: true, width: 60 },
  { label: "Migrations", text: (t) => String(t.migrations), numeric: true, width: 55 },
  { label: "VMs failed", text: (t) => String(t.failed), numeric: true, width: 50 },
  { label: "Total downtime", text: (t) => duration(t.totalDowntimeMs), numeric: true, width: 65 },
  { label: "p95 downtime", text: (t) => ms(t.p95DowntimeMs), numeric: true, width: 60 },
];

/** "2026-11-01 02:00:00Z": UTC everywhere, so the server's render and the PDF agree. */
export function utc(msSinceEpoch: number | null): string {
  return msSinceEpoch === null ? "—" : `${new Date(msSinceEpoch).toISOString().replace("T", " ").slice(0, 19)}Z`;
}

export function interventionText(i: WindowReport["interventions"][number]): string {
  return `${i.kind === "window" ? "window" : "migration"} ${i.button} by ${i.actor} ×${i.count}`;
}

/** "convoy-report-night-drain-2026-11-01.csv": ASCII only, safe in a Content-Disposition header. */
export function reportFileName(w: { name: string; startedAt: number | null; id: string }, ext: "csv" | "pdf"): string {
  const slug =
    w.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || w.id.slice(0, 8);
  return `convoy-report-${slug}${w.startedAt === null ? "" : `-${new Date(w.startedAt).toISOString().slice(0, 10)}`}.${ext}`;
}
