"use client";

// Auto-converge vCPU throttle (%): QEMU steps it up every two unproductive syncs.
import { memo } from "react";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
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
import { type ChartPoint, CHART_COLORS, type EventMarker, formatPctTick } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  { label: "throttle", value: `${p.throttle} %`, color: CHART_COLORS.throttle },
]);

export const ThrottleChart = memo(function ThrottleChart({
  data,
  markers,
  xDomain,
  autoConverge,
}: {
  data: ChartPoint[];
  markers: EventMarker[];
  xDomain: [number, number];
  autoConverge: boolean;
}) {
  return (
    <ChartFrame
      title={autoConverge ? "Auto-converge throttle (%)" : "Auto-converge throttle (%) — not enabled"}
      testId="chart-throttle"
      empty={data.length === 0}
      legend={[{ label: "vCPU throttle", color: CHART_COLORS.throttle }]}
    >
      <AreaChart
        data={data}
        syncId={SYNC_ID}
        margin={CHART_MARGIN}
        responsive
        style={{ width: "100%", height: CHART_HEIGHT }}
      >
        <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis
          tickFormatter={formatPctTick}
          tick={TICK}
          stroke={CHART_COLORS.grid}
          width={72}
          domain={[0, 100]}
          ticks={[0, 25, 50, 75, 100]}
        />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Area
          dataKey="throttle"
          type="stepAfter"
          stroke={CHART_COLORS.throttle}
          fill={CHART_COLORS.throttle}
          fillOpacity={0.15}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
        {markerLines(markers, false)}
      </AreaChart>
    </ChartFrame>
  );
});
