"use client";

// The live (or replayed) migration page: header, verdict with one-click fixes, controls, the five
// curves on one time axis, and the events. Everything derived from the stream is memoised so the
// once-a-second clock tick re-renders text only, never the charts.
import { useMemo } from "react";
import { actionAvailability } from "@/lib/migration/state-machine";
import { type MigrationView, toDomain } from "@/lib/schemas/wire";
import { etaFromNow } from "../display";
import { useNow } from "../use-now";
import { elapsedMs } from "./elapsed";
import { EventsTimeline } from "./events-timeline";
import { liveFixAdvice } from "./live-fix-advice";
import { MigrationControls } from "./migration-controls";
import { MigrationCurves } from "./migration-curves";
import { MigrationHeader } from "./migration-header";
import { OutcomePanel } from "./outcome-panel";
import { useEtaPrediction } from "./use-eta-prediction";
import { useFollowRestart } from "./use-follow-restart";
import { useMigrationControls } from "./use-migration-controls";
import { isTerminalState, useMigrationStream } from "./use-migration-stream";
import { VerdictCard } from "./verdict-card";

export function LiveMigration({ initial, canOperate }: { initial: MigrationView; canOperate: boolean }) {
  const { view, connection, attempt } = useMigrationStream(initial);
  const now = useNow(1000);
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

  const domainSamples = useMemo(() => view.samples.map(toDomain), [view.samples]);
  const { etaAtSample, prediction, projection, basis } = useEtaPrediction(view, active, assessment, domainSamples);
  const advice = useMemo(
    () => liveFixAdvice(assessment, options, domainSamples, view.events, view.learnedPathBps),
    [assessment, options, domainSamples, view.events, view.learnedPathBps],
  );

  const controls = useMigrationControls({ migrationId: view.id, vmName: view.vmName, destName: view.dest.name });
  const restartedAs = useFollowRestart(view.events, controls.restartRequested);
  const sampleAge = lastSample && now !== null ? Math.max(0, now - Date.parse(lastSample.at)) : null;

  return (
    <div className="space-y-6">
      <MigrationHeader
        view={view}
        options={options}
        connection={connection}
        attempt={attempt}
        elapsedMs={elapsedMs(view, active, lastSample, now)}
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

      <MigrationCurves view={view} prediction={prediction} projection={projection} basis={basis} />

      <EventsTimeline events={view.events} />
      {controls.dialog}
    </div>
  );
}
