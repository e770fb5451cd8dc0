"use client";

// The inputs above the controls that take a value, each with the value now in force beside it.
import { Button } from "@/components/ui/button";
import { TextInput } from "@/components/ui/field";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import { type ControlParams, ThrottleInputs } from "./use-migration-controls";

const DOWNTIME_PRESETS = [300, 500, 1000, 2000];

export function DowntimeInput({
  ms,
  onChange,
  invalid,
  nowMs,
}: {
  ms: string;
  onChange: (ms: string) => void;
  invalid: boolean;
  nowMs: number;
}) {
  return (
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
          onChange={(e) => onChange(e.currentTarget.value)}
          invalid={invalid}
        />
      </div>
      {DOWNTIME_PRESETS.map((p) => (
        <Button
          key={p}
          variant="ghost"
          className="px-2 py-1 text-xs ring-1 ring-slate-700"
          aria-pressed={ms === String(p)}
          onClick={() => onChange(String(p))}
        >
          {p} ms
        </Button>
      ))}
      <span className="text-xs text-slate-500">now {nowMs} ms</span>
    </div>
  );
}

export function BandwidthInput({
  mib,
  onChange,
  invalid,
  nowMiB,
}: {
  mib: string;
  onChange: (mib: string) => void;
  invalid: boolean;
  nowMiB: number | undefined;
}) {
  return (
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
          onChange={(e) => onChange(e.currentTarget.value)}
          invalid={invalid}
        />
      </div>
      <span className="text-xs text-slate-500">now {nowMiB ? `${nowMiB} MiB/s` : "unlimited"}</span>
    </div>
  );
}

export function ThrottleInput({
  throttle,
  onChange,
  autoConverge,
}: {
  throttle: ControlParams;
  onChange: (p: ControlParams) => void;
  autoConverge: LaunchOptions["autoConverge"];
}) {
  return (
    <div className="space-y-1">
      <ThrottleInputs idPrefix="ctl-throttle" params={throttle} onChange={onChange} />
      <p className="text-xs text-slate-500">
        now {autoConverge.enabled ? `${autoConverge.initial} %, +${autoConverge.increment} %` : "auto-converge off"}
      </p>
    </div>
  );
}
