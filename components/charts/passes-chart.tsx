"use client";

// Pre-copy pass count (libvirt's memory_iteration): steep = short passes, i.e. little left to send
// per pass; a staircase that never stops while remaining bytes plateau is a stall.
import { memo, useMemo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
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
import { type ChartPoint, CHART_COLORS, type EventMarker, niceTicks } from "./chart-utils";

const TooltipContent = pointTooltip((p) => [{ label: "pass", value: String(p.iteration), color: CHART_COLORS.passes }]);

export const PassesChart = memo(function PassesChart({
  data,
  markers,
  xDomain,
}: {
  data: ChartPoint[];
  markers: EventMarker[];
  xDomain: [number, number];
}) {
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
      <LineChart
        data={data}
        syncId={SYNC_ID}
        margin={CHART_MARGIN}
        responsive
        style={{ width: "100%", height: CHART_HEIGHT }}
      >
        <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
        <XAxis {...xAxisProps(xDomain)} />
        <YAxis
          allowDecimals={false}
          tick={TICK}
          stroke={CHART_COLORS.grid}
          width={72}
          ticks={ticks}
          domain={[0, ticks.at(-1) ?? "auto"]}
        />
        <Tooltip content={TooltipContent} isAnimationActive={false} />
        <Line
          dataKey="iteration"
          type="stepAfter"
          stroke={CHART_COLORS.passes}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
        />
        {markerLines(markers, false)}
      </LineChart>
    </ChartFrame>
  );
});
