"use client";

// Operator controls of a running migration. Every button is always shown; when the state machine
// refuses an action the button is disabled and says why (the server re-checks all of it anyway).
import { type ReactNode, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import { CONTROL_PARAMS, CONTROL_TEXT, type OperatorAction } from "@/lib/migration/operator-actions";
import type { ActionAvailability } from "@/lib/migration/state-machine";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import { type ControlParams, type ControlResult, ThrottleInputs } from "./use-migration-controls";

const DOWNTIME_PRESETS = [300, 500, 1000, 2000];

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
  const [ms, setMs] = useState(String(options.maxDowntimeMs));
  const [mib, setMib] = useState(options.bandwidthMiB ? String(options.bandwidthMiB) : "");
  // The inputs start from the values in force, and follow them when the host reads back a change.
  useEffect(() => setMs(String(options.maxDowntimeMs)), [options.maxDowntimeMs]);
  useEffect(() => setMib(options.bandwidthMiB ? String(options.bandwidthMiB) : ""), [options.bandwidthMiB]);
  const [throttle, setThrottle] = useState<ControlParams>({
    initial: Math.min(99, Math.max(options.autoConverge.initial + 20, 50)),
    increment: Math.min(99, Math.max(options.autoConverge.increment, 20)),
  });
  const [errors, setErrors] = useState<Partial<Record<OperatorAction, string>>>({});

  const submit = (action: OperatorAction, check: () => string | null, params: ControlParams) => {
    const problem = check();
    setErrors((e) => ({ ...e, [action]: problem ?? undefined }));
    if (!problem) controls.request(action, params);
  };
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
      clientError={errors[action]}
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
          () => submit("set-max-downtime", () => issue(CONTROL_PARAMS["set-max-downtime"].ms, ms), { ms: Number(ms) }),
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="ctl-ms" className="text-xs text-slate-400">
              Max downtime (ms)
            </label>
            <div className="w-28">
              <TextInput
                id="ctl-ms"
                type="number"
                min={1}
                max={2_000_000}
                value={ms}
                onChange={(e) => setMs(e.currentTarget.value)}
                invalid={!!errors["set-max-downtime"]}
              />
            </div>
            {DOWNTIME_PRESETS.map((p) => (
              <Button
                key={p}
                variant="ghost"
                className="px-2 py-1 text-xs ring-1 ring-slate-700"
                aria-pressed={ms === String(p)}
                onClick={() => setMs(String(p))}
              >
                {p} ms
              </Button>
            ))}
            <span className="text-xs text-slate-500">now {options.maxDowntimeMs} ms</span>
          </div>,
        )}
        {row(
          "set-bandwidth",
          "secondary",
          () => submit("set-bandwidth", () => issue(CONTROL_PARAMS["set-bandwidth"].mib, mib), { mib: Number(mib) }),
          <div className="flex flex-wrap items-center gap-2">
            <label htmlFor="ctl-mib" className="text-xs text-slate-400">
              Bandwidth (MiB/s)
            </label>
            <div className="w-28">
              <TextInput
                id="ctl-mib"
                type="number"
                min={1}
                value={mib}
                onChange={(e) => setMib(e.currentTarget.value)}
                invalid={!!errors["set-bandwidth"]}
              />
            </div>
            <span className="text-xs text-slate-500">
              now {options.bandwidthMiB ? `${options.bandwidthMiB} MiB/s` : "unlimited"}
            </span>
          </div>,
        )}
        {row(
          "throttle-harder",
          "secondary",
          () =>
            submit(
              "throttle-harder",
              () =>
                issue(CONTROL_PARAMS["throttle-harder"].initial, throttle.initial) ??
                issue(CONTROL_PARAMS["throttle-harder"].increment, throttle.increment),
              throttle,
            ),
          <div className="space-y-1">
            <ThrottleInputs idPrefix="ctl-throttle" params={throttle} onChange={setThrottle} />
            <p className="text-xs text-slate-500">
              now{" "}
              {options.autoConverge.enabled
                ? `${options.autoConverge.initial} %, +${options.autoConverge.increment} %`
                : "auto-converge off"}
            </p>
          </div>,
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

/** The first message of a zod check on one field, or null when the value is fine. */
function issue(
  schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
): string | null {
  if (value === undefined || (typeof value === "string" && value.trim() === "")) return "Enter a value.";
  const r = schema.safeParse(value);
  return r.success ? null : (r.error?.issues[0]?.message ?? "Not a valid value.");
}
