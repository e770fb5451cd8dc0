"use client";

// QEMU's expected downtime (what the switchover would pause the guest for now) against the max
// downtime the switchover needs: the line must come under the limit for pre-copy to finish. Log
// scale, because a stuck migration sits 10–100× above a few-hundred-ms limit.
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
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
import { CHART_COLORS, formatMsTick, logTicks } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [
  {
    label: "expected downtime",
    value: p.expectedDowntime === null ? "—" : formatMsTick(p.expectedDowntime),
    color: CHART_COLORS.downtime,
  },
]);

export const DowntimeChart = memo(function DowntimeChart({
  data,
  markers,
  xDomain,
  maxDowntimeMs,
}: ChartProps & { maxDowntimeMs: number | null }) {
  const ticks = useMemo(() => {
    let lo = maxDowntimeMs ?? Number.POSITIVE_INFINITY;
    let hi = maxDowntimeMs ?? 0;
    for (const p of data) {
      if (p.expectedDowntime === null) continue;
      lo = Math.min(lo, p.expectedDowntime);
      hi = Math.max(hi, p.expectedDowntime);
    }
    if (!Number.isFinite(lo) || !(hi > 0)) return [10, 100, 1000];
    return logTicks(Math.max(1, lo * 0.9), hi * 1.1);
  }, [data, maxDowntimeMs]);
  return (
    <ChartFrame
      title="Expected vs max downtime (log)"
      testId="chart-downtime"
      empty={data.length === 0}
      legend={[
        { label: "expected downtime", color: CHART_COLORS.downtime },
        ...(maxDowntimeMs !== null
          ? [{ label: `max downtime ${formatMsTick(maxDowntimeMs)}`, color: CHART_COLORS.limit, dashed: true }]
          : []),
      ]}
    >
      <LineChart {...plotProps(data)}>
        <CartesianGrid {...GRID_PROPS} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis
          scale="log"
          domain={[ticks[0]!, ticks.at(-1)!]}
          ticks={ticks}
          allowDataOverflow
          tickFormatter={formatMsTick}
          {...Y_AXIS_PROPS}
        />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Line dataKey="expectedDowntime" type="stepAfter" stroke={CHART_COLORS.downtime} {...SERIES_PROPS} />
        {maxDowntimeMs !== null && (
          <ReferenceLine y={maxDowntimeMs} stroke={CHART_COLORS.limit} strokeDasharray="6 4" strokeWidth={1.5} />
        )}
        {markerLines(markers, false)}
      </LineChart>
    </ChartFrame>
  );
});
