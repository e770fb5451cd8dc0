"use client";

// Remaining bytes over elapsed time: the saw-tooth of pre-copy passes. When an ETA exists it adds the
// predicted switchover band (and a dashed projection to zero), so a plateau is obvious at a glance.
import { memo, useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_HEIGHT, CHART_MARGIN, ChartFrame, markerLines, pointTooltip, SYNC_ID, TICK, xAxisProps } from "./chart-frame";
import { type ChartPoint, CHART_COLORS, type EventMarker, formatBytesTick, formatSecondsTick, niceByteTicks, type Prediction } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  { label: "remaining", value: formatBytesTick(p.remaining), color: CHART_COLORS.remaining },
  { label: "of", value: formatBytesTick(p.total) },
  { label: "pass", value: String(p.iteration) },
]);

export const RemainingBytesChart = memo(function RemainingBytesChart({
  data,
  markers,
  prediction,
  xDomain,
}: {
  data: ChartPoint[];
  markers: EventMarker[];
  /** ms after the last point; band = its low/high estimate. */
  prediction: Prediction | null;
  xDomain: [number, number];
}) {
  const last = data.at(-1);
  const ticks = useMemo(() => niceByteTicks(data.reduce((m, p) => Math.max(m, p.remaining), 0)), [data]);
  const band = last && prediction ? { x1: last.t + prediction.lowMs / 1000, x2: last.t + prediction.highMs / 1000, eta: last.t + prediction.etaMs / 1000 } : null;
  return (
    <ChartFrame
      title="Remaining bytes"
      testId="chart-remaining"
      empty={data.length === 0}
      legend={[
        { label: "remaining", color: CHART_COLORS.remaining },
        ...(band ? [{ label: `predicted switchover ≈ ${formatSecondsTick(band.eta)}`, color: CHART_COLORS.band, dashed: true }] : []),
      ]}
    >
      <ComposedChart data={data} syncId={SYNC_ID} margin={CHART_MARGIN} responsive style={{ width: "100%", height: CHART_HEIGHT }}>
        <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis tickFormatter={formatBytesTick} tick={TICK} stroke={CHART_COLORS.grid} width={72} ticks={ticks} domain={[0, ticks.at(-1) ?? "auto"]} />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Area
          dataKey="remaining"
          type="linear"
          stroke={CHART_COLORS.remaining}
          fill={CHART_COLORS.remaining}
          fillOpacity={0.15}
          strokeWidth={1.5}
          dot={false}
          activeDot={{ r: 3 }}
          isAnimationActive={false}
        />
        {band && last && (
          <ReferenceArea x1={band.x1} x2={Math.max(band.x2, band.x1 + 0.5)} fill={CHART_COLORS.band} fillOpacity={0.12} stroke="none" ifOverflow="hidden" />
        )}
        {band && last && (
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
