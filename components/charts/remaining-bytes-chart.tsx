"use client";

// Remaining bytes over elapsed time: the saw-tooth of pre-copy passes, and next to it the predicted
// remaining bytes (dashed: future passes at the observed shrink ratio and throughput) with the
// switchover band when an ETA exists — predicted against actual, so a plateau is obvious at a glance.
import { memo, useMemo } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import {
  ChartFrame,
  type ChartProps,
  GRID_PROPS,
  type LegendItem,
  markerLines,
  plotProps,
  pointTooltip,
  SERIES_PROPS,
  xAxisProps,
  Y_AXIS_PROPS,
  yFromZero,
} from "./chart-frame";
import {
  CHART_COLORS,
  type ChartPoint,
  formatBytesTick,
  formatRate,
  formatSecondsTick,
  niceByteTicks,
  type Prediction,
  type ProjectionPoint,
} from "./chart-utils";

const TooltipContent = pointTooltip((p) => {
  const predicted = (p as Partial<ProjectionPoint>).predicted;
  if (predicted !== undefined)
    return [{ label: "predicted remaining", value: formatBytesTick(predicted), color: CHART_COLORS.predicted }];
  return [
    { label: "remaining", value: formatBytesTick(p.remaining), color: CHART_COLORS.remaining },
    { label: "of", value: formatBytesTick(p.total) },
    { label: "pass", value: String(p.iteration) },
  ];
});

export const RemainingBytesChart = memo(function RemainingBytesChart({
  data,
  markers,
  prediction,
  projection = [],
  basis = null,
  xDomain,
}: ChartProps & {
  /** ms after the last point; band = its low/high estimate. */
  prediction: Prediction | null;
  /** Predicted remaining bytes from the last sample on. */
  projection?: ProjectionPoint[];
  /** What the projection is computed from: the observed shrink per pass and throughput (bytes/s). */
  basis?: { shrink: number | null; throughputBps: number | null } | null;
}) {
  const last = data.at(-1);
  const ticks = useMemo(
    () =>
      niceByteTicks(
        Math.max(
          data.reduce((m, p) => Math.max(m, p.remaining), 0),
          ...projection.map((p) => p.predicted),
        ),
      ),
    [data, projection],
  );
  const band = switchoverBand(last, prediction);
  return (
    <ChartFrame
      title="Remaining bytes"
      testId="chart-remaining"
      empty={data.length === 0}
      legend={remainingLegend(projection.length > 0, basis, band)}
    >
      <ComposedChart {...plotProps(data)}>
        <CartesianGrid {...GRID_PROPS} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis tickFormatter={formatBytesTick} {...Y_AXIS_PROPS} {...yFromZero(ticks)} />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Area
          dataKey="remaining"
          type="linear"
          stroke={CHART_COLORS.remaining}
          fill={CHART_COLORS.remaining}
          fillOpacity={0.15}
          {...SERIES_PROPS}
          activeDot={{ r: 3 }}
        />
        {band && last && (
          <ReferenceArea
            x1={band.x1}
            x2={Math.max(band.x2, band.x1 + 0.5)}
            fill={CHART_COLORS.band}
            fillOpacity={0.12}
            stroke="none"
            ifOverflow="hidden"
          />
        )}
        {projection.length > 0 && (
          <Line
            data={projection}
            dataKey="predicted"
            type="linear"
            stroke={CHART_COLORS.predicted}
            strokeDasharray="5 4"
            {...SERIES_PROPS}
            activeDot={false}
          />
        )}
        {band && last && projection.length === 0 && (
          <ReferenceLine
            segment={[
              { x: last.t, y: last.remaining },
              { x: band.eta, y: 0 },
            ]}
            stroke={CHART_COLORS.band}
            strokeDasharray="5 4"
            ifOverflow="hidden"
          />
        )}
        {markerLines(markers, true, xDomain)}
      </ComposedChart>
    </ChartFrame>
  );
});

type Band = { x1: number; x2: number; eta: number };

/** Where the switchover is predicted (its low/high estimate and the ETA), in seconds on the x axis. */
function switchoverBand(last: ChartPoint | undefined, prediction: Prediction | null): Band | null {
  if (!last || !prediction) return null;
  return {
    x1: last.t + prediction.lowMs / 1000,
    x2: last.t + prediction.highMs / 1000,
    eta: last.t + prediction.etaMs / 1000,
  };
}

/** The legend: actual remaining, the projection with what it is computed from, the switchover. */
function remainingLegend(
  projected: boolean,
  basis: { shrink: number | null; throughputBps: number | null } | null,
  band: Band | null,
): LegendItem[] {
  const basisText =
    basis?.shrink != null && basis.throughputBps
      ? ` (×${basis.shrink.toFixed(2)} per pass at ${formatRate(basis.throughputBps / 1024 ** 2)} observed)`
      : "";
  return [
    { label: "remaining", color: CHART_COLORS.remaining },
    ...(projected ? [{ label: `predicted remaining${basisText}`, color: CHART_COLORS.predicted, dashed: true }] : []),
    ...(band
      ? [{ label: `predicted switchover ≈ ${formatSecondsTick(band.eta)}`, color: CHART_COLORS.band, dashed: true }]
      : []),
  ];
}
