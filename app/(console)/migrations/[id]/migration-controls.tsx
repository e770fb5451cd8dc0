"use client";

// Operator controls of a running migration. Every button is always shown; when the state machine
// refuses an action the button is disabled and says why (the server re-checks all of it anyway).
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CONTROL_TEXT, type OperatorAction } from "@/lib/migration/operator-actions";
import type { ActionAvailability } from "@/lib/migration/state-machine";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import { BandwidthInput, DowntimeInput, ThrottleInput } from "./control-inputs";
import { useControlDrafts } from "./use-control-drafts";
import type { ControlParams, ControlResult } from "./use-migration-controls";

type Controls = {
  request: (a: OperatorAction, p?: ControlParams) => void;
  pending: OperatorAction | null;
  results: Partial<Record<OperatorAction, ControlResult>>;
};

export function MigrationControls({
  availability,
  options,
  controls,
}: {
  availability: ActionAvailability[];
  options: LaunchOptions;
  controls: Controls;
}) {
  const can = Object.fromEntries(availability.map((a) => [a.action, a])) as Record<OperatorAction, ActionAvailability>;
  const d = useControlDrafts(options, controls.request);
  const row = (
    action: OperatorAction,
    variant: "primary" | "secondary" | "danger",
    onClick: () => void,
    input?: ReactNode,
  ) => (
    <ControlRow
      action={action}
      availability={can[action]}
      controls={controls}
      variant={variant}
      onClick={onClick}
      clientError={d.errors[action]}
    >
      {input}
    </ControlRow>
  );

  return (
    <section
      aria-labelledby="controls-heading"
      className="space-y-3 rounded border border-slate-800 p-4"
      data-testid="migration-controls"
    >
      <h2 id="controls-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
        Controls
      </h2>
      <div className="grid gap-3 lg:grid-cols-2">
        {row(
          "set-max-downtime",
          "secondary",
          d.submitDowntime,
          <DowntimeInput
            ms={d.ms}
            onChange={d.setMs}
            invalid={!!d.errors["set-max-downtime"]}
            nowMs={options.maxDowntimeMs}
          />,
        )}
        {row(
          "set-bandwidth",
          "secondary",
          d.submitBandwidth,
          <BandwidthInput
            mib={d.mib}
            onChange={d.setMib}
            invalid={!!d.errors["set-bandwidth"]}
            nowMiB={options.bandwidthMiB}
          />,
        )}
        {row(
          "throttle-harder",
          "secondary",
          d.submitThrottle,
          <ThrottleInput throttle={d.throttle} onChange={d.setThrottle} autoConverge={options.autoConverge} />,
        )}
        {row("restart-with-auto-converge", "secondary", () =>
          controls.request("restart-with-auto-converge", { initial: 20, increment: 10 }),
        )}
        {row("suspend-to-finish", "secondary", () => controls.request("suspend-to-finish"))}
        {row("switch-to-postcopy", "danger", () => controls.request("switch-to-postcopy"))}
        {row("abort", "danger", () => controls.request("abort"))}
      </div>
    </section>
  );
}

function ControlRow({
  action,
  availability,
  controls,
  variant,
  onClick,
  clientError,
  children,
}: {
  action: OperatorAction;
  availability: ActionAvailability | undefined;
  controls: Controls;
  variant: "primary" | "secondary" | "danger";
  onClick: () => void;
  clientError?: string;
  children?: ReactNode;
}) {
  const allowed = availability?.allowed ?? false;
  const blocked = !allowed || controls.pending !== null;
  const hintId = `hint-${action}`;
  const result = controls.results[action];
  return (
    <div
      className="space-y-2 rounded border border-slate-800 bg-slate-900/40 p-3"
      data-control={action}
      data-allowed={allowed}
    >
      {children}
      <div className="flex flex-wrap items-center gap-3">
        <ActionButton
          label={CONTROL_TEXT[action].label}
          pendingLabel={CONTROL_TEXT[action].pending}
          pending={controls.pending === action}
          blocked={blocked}
          reason={availability?.reason}
          describedBy={hintId}
          variant={variant}
          onClick={onClick}
        />
        <p id={hintId} className={`min-w-0 flex-1 text-xs ${allowed ? "text-slate-500" : "text-amber-300/80"}`}>
          {availability?.reason}
        </p>
      </div>
      {clientError && (
        <p role="alert" className="text-xs text-rose-400">
          {clientError}
        </p>
      )}
      <ResultLine result={result} />
    </div>
  );
}

/** A real button kept focusable when refused (aria-disabled), so keyboard users can read why. */
export function ActionButton({
  label,
  pendingLabel,
  pending,
  blocked,
  reason,
  describedBy,
  variant,
  onClick,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  blocked: boolean;
  reason?: string;
  describedBy?: string;
  variant: "primary" | "secondary" | "danger";
  onClick: () => void;
}) {
  return (
    <Button
      variant={variant}
      aria-disabled={blocked || undefined}
      aria-busy={pending || undefined}
      aria-describedby={describedBy}
      title={reason}
      className="aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
      onClick={() => {
        if (!blocked) onClick();
      }}
    >
      {pending && (
        <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
      )}
      {pending ? pendingLabel : label}
    </Button>
  );
}

export function ResultLine({ result, testId }: { result: ControlResult | undefined | null; testId?: string }) {
  if (!result) return null;
  const fields = result.fieldErrors ? Object.values(result.fieldErrors).flat().join(" ") : "";
  return (
    <p
      role={result.ok ? "status" : "alert"}
      data-testid={testId ?? `result-${result.action}`}
      data-ok={result.ok}
      className={`text-xs ${result.ok ? "text-emerald-300" : "text-rose-300"}`}
    >
      {result.ok ? "✓ " : "✗ "}
      {result.message}
      {fields && ` ${fields}`}
      <span className="text-slate-500"> · {new Date(result.at).toISOString().slice(11, 19)} UTC</span>
    </p>
  );
}
