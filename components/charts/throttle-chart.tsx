"use client";

// Auto-converge vCPU throttle (%): QEMU steps it up every two unproductive syncs.
import { memo } from "react";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
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
} from "./chart-frame";
import { CHART_COLORS, formatPctTick } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  { label: "throttle", value: `${p.throttle} %`, color: CHART_COLORS.throttle },
]);

export const ThrottleChart = memo(function ThrottleChart({
  data,
  markers,
  xDomain,
  autoConverge,
}: ChartProps & { autoConverge: boolean }) {
  return (
    <ChartFrame
      title={autoConverge ? "Auto-converge throttle (%)" : "Auto-converge throttle (%) — not enabled"}
      testId="chart-throttle"
      empty={data.length === 0}
      legend={[{ label: "vCPU throttle", color: CHART_COLORS.throttle }]}
    >
      <AreaChart {...plotProps(data)}>
        <CartesianGrid {...GRID_PROPS} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis tickFormatter={formatPctTick} {...Y_AXIS_PROPS} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Area
          dataKey="throttle"
          type="stepAfter"
          stroke={CHART_COLORS.throttle}
          fill={CHART_COLORS.throttle}
          fillOpacity={0.15}
          {...SERIES_PROPS}
        />
        {markerLines(markers, false)}
      </AreaChart>
    </ChartFrame>
  );
});
