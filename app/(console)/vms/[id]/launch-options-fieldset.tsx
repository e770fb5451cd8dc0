"use client";

import type { ReactNode } from "react";
import { Field, NumberField, Select, TextInput } from "@/components/ui/field";
import { displayName } from "@/lib/format";
import type { LaunchOptions } from "@/lib/schemas/migrations";

type SetOptions = (patch: Partial<LaunchOptions>) => void;
type OptionsProps = { options: LaunchOptions; set: SetOptions };

/** The launch options the migration starts with; the prediction panel follows them as they change. */
export function LaunchOptionsFieldset({
  options,
  set,
  policies,
  policyName,
  onPolicyChange,
}: OptionsProps & {
  policies: { name: string; description?: string }[];
  policyName: string;
  onPolicyChange: (name: string) => void;
}) {
  return (
    <fieldset className="grid gap-3 rounded border border-slate-800 p-3 sm:grid-cols-3">
      <legend className="px-1 text-xs uppercase tracking-wide text-slate-400">
        Launch options (the prediction follows them)
      </legend>
      <RateFields options={options} set={set} />
      <AutoConvergeFields options={options} set={set} />
      <Toggle checked={options.postcopy} onChange={(postcopy) => set({ postcopy })}>
        Arm post-copy (lets you switch later; a failure after the switch loses the guest)
      </Toggle>
      <Toggle checked={options.compressed} onChange={(compressed) => set({ compressed })}>
        Compression
      </Toggle>
      <Toggle checked={options.tls} onChange={(tls) => set({ tls })}>
        TLS
      </Toggle>
      <TimeoutField options={options} set={set} />
      <Field label="Escalation policy" htmlFor="policy" hint="Applied automatically when it stalls">
        <Select id="policy" value={policyName} onChange={(e) => onPolicyChange(e.currentTarget.value)}>
          {policies.map((p) => (
            <option key={p.name} value={p.name} title={p.description}>
              {displayName(p.name)}
            </option>
          ))}
          <option value="none">none (operator decides)</option>
        </Select>
      </Field>
    </fieldset>
  );
}

function Toggle({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      {children}
    </label>
  );
}

/** Bandwidth cap, downtime target and parallel streams: what sets the copy rate and the cut-over. */
function RateFields({ options, set }: OptionsProps) {
  return (
    <>
      <NumberField
        label="Bandwidth cap"
        unit="MiB/s"
        id="bandwidth"
        hint="Empty = unlimited"
        min={1}
        value={options.bandwidthMiB ?? ""}
        onChange={(e) => set({ bandwidthMiB: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}
      />
      <NumberField
        label="Max downtime"
        unit="ms"
        id="maxDowntime"
        min={1}
        value={options.maxDowntimeMs}
        onChange={(e) => set({ maxDowntimeMs: Number(e.currentTarget.value) || 1 })}
      />
      <NumberField
        label="Parallel connections"
        id="parallel"
        hint="Empty = one stream"
        min={2}
        max={16}
        value={options.parallelConnections ?? ""}
        onChange={(e) =>
          set({ parallelConnections: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })
        }
      />
    </>
  );
}

function AutoConvergeFields({ options, set }: OptionsProps) {
  const autoConverge = options.autoConverge;
  return (
    <>
      <Toggle
        checked={autoConverge.enabled}
        onChange={(enabled) => set({ autoConverge: { ...autoConverge, enabled } })}
      >
        Auto-converge (throttles the guest's vCPUs if it dirties too fast)
      </Toggle>
      <Field label="Throttle initial / increment (%)" htmlFor="acInitial">
        <div className="flex gap-2">
          <TextInput
            id="acInitial"
            type="number"
            min={1}
            max={99}
            disabled={!autoConverge.enabled}
            value={autoConverge.initial}
            onChange={(e) => set({ autoConverge: { ...autoConverge, initial: Number(e.currentTarget.value) || 1 } })}
          />
          <TextInput
            id="acIncrement"
            aria-label="Throttle increment (%)"
            type="number"
            min={1}
            max={99}
            disabled={!autoConverge.enabled}
            value={autoConverge.increment}
            onChange={(e) => set({ autoConverge: { ...autoConverge, increment: Number(e.currentTarget.value) || 1 } })}
          />
        </div>
      </Field>
    </>
  );
}

/** Seconds before the timeout fires, and what it does then; the action needs a timeout to mean anything. */
function TimeoutField({ options, set }: OptionsProps) {
  const timeout = options.timeout;
  return (
    <Field
      label="Timeout action"
      htmlFor="timeoutAction"
      hint="After the timeout: pause the guest, or switch to post-copy"
    >
      <div className="flex gap-2">
        <TextInput
          id="timeoutSeconds"
          aria-label="Timeout (s)"
          type="number"
          min={1}
          placeholder="seconds"
          value={timeout?.seconds ?? ""}
          onChange={(e) =>
            set({
              timeout: e.currentTarget.value
                ? { seconds: Number(e.currentTarget.value), action: timeout?.action ?? "suspend" }
                : undefined,
            })
          }
        />
        <select
          id="timeoutAction"
          disabled={!timeout}
          value={timeout?.action ?? "suspend"}
          onChange={(e) =>
            timeout && set({ timeout: { ...timeout, action: e.currentTarget.value as "suspend" | "postcopy" } })
          }
          className="rounded border border-slate-600 bg-slate-900 px-2 text-sm"
        >
          <option value="suspend">suspend</option>
          <option value="postcopy">post-copy</option>
        </select>
      </div>
    </Field>
  );
}
