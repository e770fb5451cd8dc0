"use client";

import { Badge } from "@/components/ui/badge";
import { formatBytes } from "@/lib/format";
import { type ConvergeFixKind, predictPrecopy, whatWouldConverge } from "@/lib/migration/predict";
import { MIB, QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import type { Measurement } from "@/lib/migration-ops/predict";
import type { LaunchOptions } from "@/lib/schemas/migrations";

/** Go / no-go at the chosen settings; re-computed in the browser as the what-if values change. */
export function PredictionPanel({ measurement, options, linkBps }: { measurement: Measurement; options: LaunchOptions; linkBps: number }) {
  const bandwidthBps = Math.min(linkBps, options.bandwidthMiB ? options.bandwidthMiB * MIB : Number.POSITIVE_INFINITY);
  const input = {
    memoryBytes: measurement.memoryBytes,
    dirtyRateBps: measurement.dirtyRateBps,
    workingSetBytes: measurement.workingSetBytes ?? undefined,
    bandwidthBps,
    maxDowntimeMs: options.maxDowntimeMs,
    autoConverge: options.autoConverge.enabled
      ? { ...QEMU_AUTO_CONVERGE, initial: options.autoConverge.initial, increment: options.autoConverge.increment }
      : undefined,
  };
  const p = predictPrecopy(input);
  const fixes = p.converges ? [] : whatWouldConverge({ ...input, maxBandwidthBps: linkBps });
  return (
    <div className="space-y-3 rounded border border-slate-800 p-3" data-testid="prediction" data-go={p.converges}>
      <div className="flex flex-wrap items-center gap-3">
        {p.converges ? <Badge tone="green">GO — predicted to converge</Badge> : <Badge tone="red">NO-GO — predicted not to converge</Badge>}
        <span className="text-sm text-slate-300">
          dirty rate {formatBytes(measurement.dirtyRateBps)}/s
          {measurement.workingSetBytes ? ` over a ${formatBytes(measurement.workingSetBytes)} hot set` : ""} vs bandwidth {Number.isFinite(bandwidthBps) ? `${formatBytes(bandwidthBps)}/s` : "unlimited"} (λ ={" "}
          {p.lambda.toFixed(2)})
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="Passes" value={p.converges ? String(p.passes) : "—"} />
        <Stat label="Total time" value={p.totalTimeMs === null ? "never" : `${(p.totalTimeMs / 1000).toFixed(1)} s`} />
        <Stat label="Downtime" value={p.downtimeMs === null ? "—" : `${Math.round(p.downtimeMs)} ms`} />
        <Stat label="Final throttle" value={p.finalThrottlePct === undefined ? "—" : `${p.finalThrottlePct} %`} />
      </dl>
      <p className="text-sm text-slate-400">{p.reason}</p>
      {fixes.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-400">What would make it converge (least disruptive first)</h4>
          <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm" data-testid="fixes">
            {fixes.map((f) => (
              <li key={f.kind} className={f.feasible ? "" : "text-slate-500"}>
                <b>{FIX_TITLE[f.kind]}</b> — {f.reason}
                {f.risk && <span className="text-amber-300"> ({f.risk})</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

const FIX_TITLE: Record<ConvergeFixKind, string> = {
  "raise-downtime": "Raise max downtime",
  "more-bandwidth": "More bandwidth",
  "auto-converge": "Auto-converge",
  postcopy: "Post-copy",
  suspend: "Suspend to finish",
};

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded bg-slate-900 px-2 py-1">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}
