"use client";

// The live (or replayed) migration page: header, verdict with one-click fixes, controls, the five
// curves on one time axis, and the events. Everything derived from the stream is memoised so the
// once-a-second clock tick re-renders text only, never the charts.
import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import {
  eventMarkers,
  jobOriginMs,
  type Prediction,
  timeDomain,
  toChartPoints,
  toProjectionPoints,
} from "@/components/charts/chart-utils";
import { DowntimeChart } from "@/components/charts/downtime-chart";
import { PassesChart } from "@/components/charts/passes-chart";
import { RatesChart } from "@/components/charts/rates-chart";
import { RemainingBytesChart } from "@/components/charts/remaining-bytes-chart";
import { ThrottleChart } from "@/components/charts/throttle-chart";
import { type AppliedEvent, checkAppliedFixes, failedFixes } from "@/lib/migration/fix-check";
import { type LiveContext, liveWhatIfState } from "@/lib/migration/live-state";
import { recalibrate } from "@/lib/migration/recalibrate";
import { recommendFix } from "@/lib/migration/fix-advice";
import { actionAvailability } from "@/lib/migration/state-machine";
import { QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import { type MigrationEventView, type MigrationView, toDomain } from "@/lib/schemas/wire";
import { etaFromNow } from "../display";
import { useNow } from "../use-now";
import { EventsTimeline } from "./events-timeline";
import { MigrationControls } from "./migration-controls";
import { MigrationHeader } from "./migration-header";
import { OutcomePanel } from "./outcome-panel";
import { useMigrationControls } from "./use-migration-controls";
import { isTerminalState, useMigrationStream } from "./use-migration-stream";
import { VerdictCard } from "./verdict-card";

export function LiveMigration({ initial, canOperate }: { initial: MigrationView; canOperate: boolean }) {
  const { view, connection, attempt } = useMigrationStream(initial);
  const now = useNow(1000);
  const router = useRouter();
  const active = !isTerminalState(view.state);
  const options = view.options;
  const availability = useMemo(
    () =>
      actionAvailability(view.state, {
        autoConverge: options.autoConverge.enabled,
        postcopyArmed: options.postcopy,
        guestPaused: view.guestPaused,
      }),
    [view.state, options, view.guestPaused],
  );
  const assessment = active ? view.verdict : null;
  const lastSample = view.samples.at(-1);

  // ETA and its band: recalibrated from the passes seen (observed shrink per pass and observed
  // throughput) once there are any; before that, and while the guest is paused or in post-copy,
  // the worker's verdict's. Never an ETA the verdict contradicts (stalled, won't converge).
  const domainSamples = useMemo(() => view.samples.map(toDomain), [view.samples]);
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

  const points = useMemo(() => toChartPoints(view.samples), [view.samples]);
  const markers = useMemo(() => eventMarkers(view.events, jobOriginMs(view.samples)), [view.events, view.samples]);
  const xDomain = useMemo(
    () => timeDomain(points, markers, prediction, projection),
    [points, markers, prediction, projection],
  );

  const advice = useMemo(() => {
    if (!assessment) return { fixes: [], wontHelp: [], checks: [] };
    const ctx: LiveContext = {
      capBps: options.bandwidthMiB ? options.bandwidthMiB * 1024 ** 2 : null,
      maxDowntimeMs: options.maxDowntimeMs,
      autoConverge: options.autoConverge.enabled
        ? { ...QEMU_AUTO_CONVERGE, initial: options.autoConverge.initial, increment: options.autoConverge.increment }
        : null,
      learnedPathBps: view.learnedPathBps,
    };
    const applied = view.events.map((e) => ({
      atMs: Date.parse(e.at),
      type: e.type,
      params: (e.data ?? {}) as AppliedEvent["params"],
    }));
    const checks = checkAppliedFixes(domainSamples, applied, (before) => liveWhatIfState(before, ctx));
    const state = liveWhatIfState(domainSamples, ctx);
    const r = recommendFix(assessment, {
      autoConverge: options.autoConverge.enabled,
      postcopyArmed: options.postcopy,
      state,
      didNotHelp: failedFixes(checks),
    });
    return { ...r, checks };
  }, [assessment, options, domainSamples, view.events, view.learnedPathBps]);

  const controls = useMigrationControls({ migrationId: view.id, vmName: view.vmName, destName: view.dest.name });
  const restartedAs = useMemo(() => findRestart(view.events), [view.events]);
  useEffect(() => {
    // This operator asked for the restart here: follow the new attempt as soon as it exists.
    if (controls.restartRequested && restartedAs) router.push(`/migrations/${restartedAs}`);
  }, [controls.restartRequested, restartedAs, router]);

  const sampleAge = lastSample && now !== null ? Math.max(0, now - Date.parse(lastSample.at)) : null;
  const elapsedMs = active
    ? view.startedAt && now !== null
      ? now - Date.parse(view.startedAt)
      : (lastSample?.elapsedMs ?? null)
    : (view.totalTimeMs ??
      (view.startedAt && view.endedAt
        ? Date.parse(view.endedAt) - Date.parse(view.startedAt)
        : (lastSample?.elapsedMs ?? null)));

  return (
    <div className="space-y-6">
      <MigrationHeader
        view={view}
        options={options}
        connection={connection}
        attempt={attempt}
        elapsedMs={elapsedMs}
        etaMs={active ? etaFromNow(etaAtSample, lastSample?.at, now) : null}
        staleMs={active && view.state !== "queued" ? sampleAge : null}
        lambdaAvg={assessment?.lambda ?? null}
        verdict={assessment?.verdict ?? null}
      />
      {active ? (
        <VerdictCard
          assessment={assessment}
          lastSample={lastSample}
          etaMs={etaFromNow(etaAtSample, lastSample?.at, now)}
          fixes={advice.fixes}
          wontHelp={advice.wontHelp}
          checks={advice.checks}
          availability={availability}
          canOperate={canOperate}
          onFix={controls.request}
          pending={controls.pending}
          last={controls.last}
        />
      ) : (
        <OutcomePanel view={view} restartedAs={restartedAs} />
      )}
      {active && canOperate && <MigrationControls availability={availability} options={options} controls={controls} />}
      {active && !canOperate && (
        <p className="text-sm text-slate-400">
          You are following this migration read-only; its controls need the operator role.
        </p>
      )}

      <section aria-labelledby="curves-heading" className="space-y-3">
        <h2 id="curves-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
          Curves{" "}
          <span className="font-normal normal-case text-slate-500">
            ({points.length} points
            {view.sampleCount > view.samples.length ? ` of ${view.sampleCount} samples, downsampled` : ""}; x = time
            since the job started)
          </span>
        </h2>
        <RemainingBytesChart
          data={points}
          markers={markers}
          prediction={prediction}
          projection={projection}
          basis={useRecal && recal ? { shrink: recal.shrink, throughputBps: recal.throughputBps } : null}
          xDomain={xDomain}
        />
        <RatesChart data={points} markers={markers} xDomain={xDomain} />
        <div className="grid gap-3 xl:grid-cols-3">
          <DowntimeChart data={points} markers={markers} xDomain={xDomain} maxDowntimeMs={options.maxDowntimeMs} />
          <ThrottleChart
            data={points}
            markers={markers}
            xDomain={xDomain}
            autoConverge={options.autoConverge.enabled}
          />
          <PassesChart data={points} markers={markers} xDomain={xDomain} />
        </div>
      </section>

      <EventsTimeline events={view.events} />
      {controls.dialog}
    </div>
  );
}

/** The worker's "restarted" event names the new attempt in its data. */
function findRestart(events: MigrationEventView[]): string | null {
  const data = events.findLast((x) => x.type === "restarted")?.data as { next?: string } | null | undefined;
  return data?.next ?? null;
}
