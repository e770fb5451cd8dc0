"use client";

import { useMemo } from "react";
import { type Prediction, toProjectionPoints } from "@/components/charts/chart-utils";
import { recalibrate } from "@/lib/migration/recalibrate";
import type { MigrationSample } from "@/lib/migration/types";
import type { MigrationView } from "@/lib/schemas/wire";

/**
 * ETA and its band: recalibrated from the passes seen (observed shrink per pass and observed
 * throughput) once there are any; before that, and while the guest is paused or in post-copy,
 * the worker's verdict's. Never an ETA the verdict contradicts (stalled, won't converge).
 */
export function useEtaPrediction(
  view: MigrationView,
  active: boolean,
  assessment: MigrationView["verdict"],
  domainSamples: MigrationSample[],
) {
  const options = view.options;
  const recal = useMemo(
    () => (active ? recalibrate(domainSamples, { maxDowntimeMs: options.maxDowntimeMs }) : null),
    [active, domainSamples, options.maxDowntimeMs],
  );
  const verdictAllowsEta =
    assessment !== null && (assessment.verdict === "converging" || assessment.verdict === "too-early");
  const useRecal = recal?.shrink != null && !view.guestPaused && view.state === "running";
  const etaAtSample = !verdictAllowsEta ? null : useRecal ? recal.etaMs : assessment.etaMs;
  const prediction = useMemo<Prediction | null>(() => {
    if (etaAtSample === null) return null;
    const band = useRecal ? recal.band : null;
    return {
      etaMs: etaAtSample,
      lowMs: Math.min(band?.lowMs ?? etaAtSample, etaAtSample),
      highMs: Math.max(band?.highMs ?? etaAtSample, etaAtSample),
    };
  }, [etaAtSample, useRecal, recal]);
  const projection = useMemo(() => (useRecal && recal ? toProjectionPoints(recal.projection) : []), [useRecal, recal]);
  /** What the recalibrated curve rests on, shown under the remaining-bytes chart. */
  const basis = useRecal && recal ? { shrink: recal.shrink, throughputBps: recal.throughputBps } : null;

  return { etaAtSample, prediction, projection, basis };
}
