"use client";

// Dirty rate vs transfer rate (MiB/s). The gap is what on-call reads first: red where the guest
// dirties faster than the link sends (it cannot converge like that), green where the link is ahead.
import { memo, useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import {
  CHART_HEIGHT,
  CHART_MARGIN,
  ChartFrame,
  markerLines,
  pointTooltip,
  SYNC_ID,
  TICK,
  xAxisProps,
} from "./chart-frame";
import { type ChartPoint, CHART_COLORS, type EventMarker, formatRate, formatRateTick, niceTicks } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  { label: "dirty", value: p.dirty === null ? "not measured yet" : formatRate(p.dirty), color: CHART_COLORS.dirty },
  { label: "transfer", value: formatRate(p.transfer), color: CHART_COLORS.transfer },
  {
    label: "λ dirty/transfer",
    value: p.lambda === null ? "—" : p.lambda.toFixed(2),
    color: p.lambda !== null && p.lambda >= 1 ? CHART_COLORS.deficit : undefined,
  },
]);

export const RatesChart = memo(function RatesChart({
  data,
  markers,
  xDomain,
}: {
  data: ChartPoint[];
  markers: EventMarker[];
  xDomain: [number, number];
}) {
  const ticks = useMemo(() => niceTicks(data.reduce((m, p) => Math.max(m, p.transfer, p.dirty ?? 0), 0)), [data]);
  return (
    <ChartFrame
      title="Dirty vs transfer rate (MiB/s)"
      testId="chart-rates"
      empty={data.length === 0}
      legend={[
        { label: "dirty", color: CHART_COLORS.dirty },
        { label: "transfer", color: CHART_COLORS.transfer },
        { label: "dirty > transfer", color: CHART_COLORS.deficit },
        { label: "headroom", color: CHART_COLORS.headroom },
      ]}
    >
      <ComposedChart
        data={data}
        syncId={SYNC_ID}
        margin={CHART_MARGIN}
        responsive
        style={{ width: "100%", height: CHART_HEIGHT }}
      >
        <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis
          tickFormatter={formatRateTick}
          tick={TICK}
          stroke={CHART_COLORS.grid}
          width={72}
          ticks={ticks}
          domain={[0, ticks.at(-1) ?? "auto"]}
        />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Area
          dataKey="headroom"
          type="linear"
          stroke="none"
          fill={CHART_COLORS.headroom}
          fillOpacity={0.12}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Area
          dataKey="deficit"
          type="linear"
          stroke="none"
          fill={CHART_COLORS.deficit}
          fillOpacity={0.35}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="transfer"
          type="linear"
          stroke={CHART_COLORS.transfer}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="dirty"
          type="linear"
          stroke={CHART_COLORS.dirty}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
        {markerLines(markers, false)}
      </ComposedChart>
    </ChartFrame>
  );
});
