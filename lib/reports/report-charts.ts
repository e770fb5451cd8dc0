// The window report's charts, from plain rows (no I/O): the longest migrations and downtimes as
// bars, the downtime histogram and the planned-vs-actual Gantt.
import type { ReportMigration, ReportMove } from "./report-types";

export const TOP_BARS = 25;
export const GANTT_VM_ROWS = 40;
const HISTOGRAM_BINS = 10;

export type Bar = { migrationId: string; vmName: string; valueMs: number; over: boolean };
export type Bars = { bars: Bar[]; hidden: number };
export type HistogramBin = { fromMs: number; toMs: number | null; count: number; over: boolean };
export type GanttSegment = { fromMs: number; toMs: number; state: string };
export type GanttLane = {
  label: string;
  planned: { fromMs: number; toMs: number }[];
  actual: GanttSegment[];
  count: number;
};
export type Gantt = { by: "vm" | "source-host"; lanes: GanttLane[]; domainMs: number };

/** The N largest values, largest first; the rest are counted, not drawn. */
export function topBars(
  ms: ReportMigration[],
  value: (m: ReportMigration) => number | null,
  over: (v: number) => boolean,
  n = TOP_BARS,
): Bars {
  const all = ms
    .map((m) => ({ migrationId: m.id, vmName: m.vmName, valueMs: value(m) }))
    .filter((b): b is Omit<Bar, "over"> => b.valueMs !== null)
    .sort((a, b) => b.valueMs - a.valueMs || a.vmName.localeCompare(b.vmName));
  return { bars: all.slice(0, n).map((b) => ({ ...b, over: over(b.valueMs) })), hidden: Math.max(0, all.length - n) };
}

/**
 * Downtimes in ten bins of a fifth of the budget each (so the budget is a bin edge: the first five
 * bins are within it, the next five over), and one open bin beyond twice the budget. Bins are
 * (from, to]; the first includes 0.
 */
export function downtimeHistogram(downtimes: number[], budgetMs: number): HistogramBin[] {
  const width = Math.max(1, budgetMs / 5);
  const bins: HistogramBin[] = Array.from({ length: HISTOGRAM_BINS }, (_, i) => ({
    fromMs: i * width,
    toMs: (i + 1) * width,
    count: 0,
    over: i * width >= budgetMs,
  }));
  bins.push({ fromMs: HISTOGRAM_BINS * width, toMs: null, count: 0, over: true });
  for (const d of downtimes) {
    const i = d <= 0 ? 0 : Math.min(HISTOGRAM_BINS, Math.ceil(d / width - 1e-9) - 1);
    const bin = bins[i];
    if (bin) bin.count++;
  }
  return bins;
}

/**
 * Planned vs actual, as offsets from the run's start. Up to GANTT_VM_ROWS moves: one lane per VM
 * (each attempt a segment). Beyond: one lane per source host, its planned slots and actual
 * migrations merged into busy intervals, so 10,000 moves draw as a few hundred shapes.
 */
export function buildGantt(
  moves: ReportMove[],
  migrations: ReportMigration[],
  startedAt: number | null,
  maxVmRows = GANTT_VM_ROWS,
): Gantt {
  const by = moves.length <= maxVmRows ? "vm" : "source-host";
  const lanes = new Map<string, GanttLane>();
  const lane = (label: string) => {
    const l = lanes.get(label) ?? { label, planned: [], actual: [], count: 0 };
    lanes.set(label, l);
    return l;
  };
  for (const m of moves) {
    const l = lane(by === "vm" ? m.vmName : m.sourceHost);
    l.planned.push({ fromMs: m.plannedStartMs, toMs: m.plannedEndMs });
    l.count++;
  }
  if (startedAt !== null) {
    for (const m of migrations) {
      const from = (m.startedAt ?? m.createdAt) - startedAt;
      const to = m.endedAt !== null ? m.endedAt - startedAt : null;
      if (to === null) continue;
      const key = by === "vm" ? m.vmName : m.source;
      if (!lanes.has(key) && by === "vm") continue;
      lane(key).actual.push({
        fromMs: Math.max(0, from),
        toMs: Math.max(0, to),
        state: m.state === "completed" ? "completed" : "failed",
      });
    }
  }
  let domainMs = 1;
  for (const l of lanes.values()) {
    if (by === "source-host") {
      l.planned = merge(l.planned);
      l.actual = [
        ...mergeSegments(
          l.actual.filter((s) => s.state === "completed"),
          "completed",
        ),
        ...mergeSegments(
          l.actual.filter((s) => s.state !== "completed"),
          "failed",
        ),
      ];
    }
    for (const s of [...l.planned, ...l.actual]) domainMs = Math.max(domainMs, s.toMs);
  }
  const ordered = [...lanes.values()].sort(
    (a, b) => (a.planned[0]?.fromMs ?? 0) - (b.planned[0]?.fromMs ?? 0) || a.label.localeCompare(b.label),
  );
  return { by, lanes: ordered, domainMs };
}

function merge(xs: { fromMs: number; toMs: number }[]): { fromMs: number; toMs: number }[] {
  const out: { fromMs: number; toMs: number }[] = [];
  for (const x of [...xs].sort((a, b) => a.fromMs - b.fromMs)) {
    const last = out.at(-1);
    if (last && x.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, x.toMs);
    else out.push({ ...x });
  }
  return out;
}

function mergeSegments(xs: GanttSegment[], state: string): GanttSegment[] {
  return merge(xs).map((x) => ({ ...x, state }));
}
