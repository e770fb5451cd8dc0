"use client";

// Pre-copy pass count (libvirt's memory_iteration): steep = short passes, i.e. little left to send
// per pass; a staircase that never stops while remaining bytes plateau is a stall.
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
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
import { CHART_COLORS, niceTicks } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [{ label: "pass", value: String(p.iteration), color: CHART_COLORS.passes }]);

export const PassesChart = memo(function PassesChart({ data, markers, xDomain }: ChartProps) {
  const ticks = useMemo(
    () =>
      niceTicks(
        Math.max(
          1,
          data.reduce((m, p) => Math.max(m, p.iteration), 0),
        ),
      ).filter(Number.isInteger),
    [data],
  );
  return (
    <ChartFrame
      title="Passes"
      testId="chart-passes"
      empty={data.length === 0}
      legend={[{ label: "memory iteration", color: CHART_COLORS.passes }]}
    >
      <LineChart {...plotProps(data)}>
        <CartesianGrid {...GRID_PROPS} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis allowDecimals={false} {...Y_AXIS_PROPS} {...yFromZero(ticks)} />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Line dataKey="iteration" type="stepAfter" stroke={CHART_COLORS.passes} {...SERIES_PROPS} />
        {markerLines(markers, false)}
      </LineChart>
    </ChartFrame>
  );
});
