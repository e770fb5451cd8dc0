"use client";

// The five curves on one time axis. Points, markers and the axis are memoised on the stream's data,
// so the page's once-a-second clock tick never redraws the charts.
import { useMemo } from "react";
import {
  eventMarkers,
  jobOriginMs,
  type Prediction,
  type ProjectionPoint,
  timeDomain,
  toChartPoints,
} from "@/components/charts/chart-utils";
import { DowntimeChart } from "@/components/charts/downtime-chart";
import { PassesChart } from "@/components/charts/passes-chart";
import { RatesChart } from "@/components/charts/rates-chart";
import { RemainingBytesChart } from "@/components/charts/remaining-bytes-chart";
import { ThrottleChart } from "@/components/charts/throttle-chart";
import type { MigrationView } from "@/lib/schemas/wire";

export function MigrationCurves({
  view,
  prediction,
  projection,
  basis,
}: {
  view: MigrationView;
  prediction: Prediction | null;
  projection: ProjectionPoint[];
  basis: { shrink: number | null; throughputBps: number | null } | null;
}) {
  const options = view.options;
  const points = useMemo(() => toChartPoints(view.samples), [view.samples]);
  const markers = useMemo(() => eventMarkers(view.events, jobOriginMs(view.samples)), [view.events, view.samples]);
  const xDomain = useMemo(
    () => timeDomain(points, markers, prediction, projection),
    [points, markers, prediction, projection],
  );

  return (
    <section aria-labelledby="curves-heading" className="space-y-3">
      <h2 id="curves-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
        Curves{" "}
        <span className="font-normal normal-case text-slate-500">
          ({points.length} points
          {view.sampleCount > view.samples.length ? ` of ${view.sampleCount} samples, downsampled` : ""}; x = time since
          the job started)
        </span>
      </h2>
      <RemainingBytesChart
        data={points}
        markers={markers}
        prediction={prediction}
        projection={projection}
        basis={basis}
        xDomain={xDomain}
      />
      <RatesChart data={points} markers={markers} xDomain={xDomain} />
      <div className="grid gap-3 xl:grid-cols-3">
        <DowntimeChart data={points} markers={markers} xDomain={xDomain} maxDowntimeMs={options.maxDowntimeMs} />
        <ThrottleChart data={points} markers={markers} xDomain={xDomain} autoConverge={options.autoConverge.enabled} />
        <PassesChart data={points} markers={markers} xDomain={xDomain} />
      </div>
    </section>
  );
}
