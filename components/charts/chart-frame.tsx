// The frame every migration chart shares: title, HTML legend, empty state, a dark tooltip that
// reads the hovered row, and the event markers. Keeps the five charts small and alike.
import type { ReactNode } from "react";
import { ReferenceLine } from "recharts";
import { type ChartPoint, CHART_COLORS, type EventMarker, formatSecondsTick, MARKER_COLORS } from "./chart-utils";

const CHART_HEIGHT = 200;
const SYNC_ID = "migration";
const CHART_MARGIN = { top: 16, right: 16, bottom: 0, left: 4 };
const TICK = { fill: CHART_COLORS.axis, fontSize: 11 };

export type LegendItem = { label: string; color: string; dashed?: boolean };

/** What every chart is drawn from: the shared points, the event markers and the one x domain. */
export type ChartProps = { data: ChartPoint[]; markers: EventMarker[]; xDomain: [number, number] };

const PLOT_STYLE = { width: "100%", height: CHART_HEIGHT };

/** Props of the Recharts chart element: one syncId so the tooltips move together, one size. */
export function plotProps(data: ChartPoint[]) {
  return { data, syncId: SYNC_ID, margin: CHART_MARGIN, responsive: true, style: PLOT_STYLE };
}

export const GRID_PROPS = { stroke: CHART_COLORS.grid, vertical: false };

/** The y axis look; each chart adds its ticks, domain and formatter. */
export const Y_AXIS_PROPS = { tick: TICK, stroke: CHART_COLORS.grid, width: 72 };

/** A linear y axis from 0 to the last round tick. */
export function yFromZero(ticks: number[]) {
  return { ticks, domain: [0, ticks.at(-1) ?? "auto"] as [number, number | "auto"] };
}

/** The drawn series: thin, no dots, no animation (samples arrive every second). */
export const SERIES_PROPS = { strokeWidth: 1.5, dot: false, isAnimationActive: false } as const;

export function ChartFrame({
  title,
  testId,
  legend,
  empty,
  children,
}: {
  title: string;
  testId: string;
  legend: LegendItem[];
  empty: boolean;
  children: ReactNode;
}) {
  return (
    <figure data-testid={testId} className="min-w-0 rounded border border-slate-800 bg-slate-900/40 p-3">
      <figcaption className="mb-1 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="text-sm font-semibold text-slate-200">{title}</span>
        {legend.map((l) => (
          <span key={l.label} className="inline-flex items-center gap-1 text-xs text-slate-400">
            <span
              aria-hidden
              className="inline-block w-3 border-t-2"
              style={{ borderColor: l.color, borderStyle: l.dashed ? "dashed" : "solid" }}
            />
            {l.label}
          </span>
        ))}
      </figcaption>
      {empty ? (
        <p className="flex items-center justify-center text-sm text-slate-500" style={{ height: CHART_HEIGHT }}>
          No samples yet.
        </p>
      ) : (
        children
      )}
    </figure>
  );
}

/** Recharts' x axis settings shared by all charts (numeric elapsed seconds, one domain). */
export function xAxisProps(domain: [number, number]) {
  return {
    dataKey: "t",
    type: "number" as const,
    domain,
    allowDataOverflow: true,
    tickFormatter: formatSecondsTick,
    tick: TICK,
    stroke: CHART_COLORS.grid,
    minTickGap: 24,
  };
}

/** Vertical event markers; only one chart labels them, the others draw thin lines. */
export function markerLines(markers: readonly EventMarker[], withLabels: boolean, domain?: [number, number]) {
  // Labels of markers near the right edge go to the left of their line, or they are clipped.
  const flipAt = domain ? domain[0] + 0.8 * (domain[1] - domain[0]) : Number.POSITIVE_INFINITY;
  return markers.map((m, i) => (
    <ReferenceLine
      key={m.id}
      x={m.x}
      stroke={MARKER_COLORS[m.tone]}
      strokeDasharray="3 3"
      strokeWidth={1}
      ifOverflow="hidden"
      label={
        withLabels
          ? {
              value: m.label,
              position: m.x > flipAt ? "insideTopRight" : "insideTopLeft",
              fill: MARKER_COLORS[m.tone],
              fontSize: 10,
              offset: 4 + (i % 3) * 11,
            }
          : undefined
      }
    />
  ));
}

export type TooltipRow = { label: string; value: string; color?: string };

type TooltipArgs = { active?: boolean; payload?: ReadonlyArray<{ payload?: unknown }> };

/** Tooltip content from the hovered row (a ChartPoint), so range series print as plain numbers. */
export function pointTooltip(rows: (p: ChartPoint) => TooltipRow[]) {
  return function PointTooltip({ active, payload }: TooltipArgs) {
    const p = payload?.[0]?.payload as ChartPoint | undefined;
    if (!active || !p) return null;
    return (
      <div className="rounded border border-slate-700 bg-slate-950/95 px-2 py-1.5 text-xs shadow-lg">
        <div className="mb-0.5 font-mono text-slate-400">t = {formatSecondsTick(p.t)}</div>
        {rows(p).map((r) => (
          <div key={r.label} className="flex justify-between gap-4">
            <span style={{ color: r.color ?? CHART_COLORS.axis }}>{r.label}</span>
            <span className="font-mono tabular-nums text-slate-100">{r.value}</span>
          </div>
        ))}
      </div>
    );
  };
}
