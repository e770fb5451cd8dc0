"use client";

// Dirty rate vs transfer rate (MiB/s). The gap is what on-call reads first: red where the guest
// dirties faster than the link sends (it cannot converge like that), green where the link is ahead.
import { memo, useMemo } from "react";
import { Area, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import {
  ChartFrame,
  type ChartProps,
  GRID_PROPS,
  markerLines,
  plotProps,
  pointTooltip,
  SERIES_PROPS,
  xAxisProps,
  Y_AXIS_PROPS,
  yFromZero,
} from "./chart-frame";
import { CHART_COLORS, formatRate, formatRateTick, niceTicks } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  { label: "dirty", value: p.dirty === null ? "not measured yet" : formatRate(p.dirty), color: CHART_COLORS.dirty },
  { label: "transfer", value: formatRate(p.transfer), color: CHART_COLORS.transfer },
  {
    label: "λ dirty/transfer",
    value: p.lambda === null ? "—" : p.lambda.toFixed(2),
    color: p.lambda !== null && p.lambda >= 1 ? CHART_COLORS.deficit : undefined,
  },
]);

export const RatesChart = memo(function RatesChart({ data, markers, xDomain }: ChartProps) {
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
      <ComposedChart {...plotProps(data)}>
        <CartesianGrid {...GRID_PROPS} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis tickFormatter={formatRateTick} {...Y_AXIS_PROPS} {...yFromZero(ticks)} />
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
        <Line dataKey="transfer" type="linear" stroke={CHART_COLORS.transfer} {...SERIES_PROPS} />
        <Line dataKey="dirty" type="linear" stroke={CHART_COLORS.dirty} {...SERIES_PROPS} />
        {markerLines(markers, false)}
      </ComposedChart>
    </ChartFrame>
  );
});
