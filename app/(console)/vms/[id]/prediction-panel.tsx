"use client";

import { Badge } from "@/components/ui/badge";
import { formatBytes } from "@/lib/format";
import { type Fix, type FixKind, outcomeText, rankFixes } from "@/lib/migration/fixes";
import { type LaunchVerdict, launchVerdict } from "@/lib/migration/launch-verdict";
import { effectiveBps, type WhatIfState } from "@/lib/migration/what-if";
import { MIB, QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import { ASSUMED_JOB_OVERHEAD_MS, type LearnedPath } from "@/lib/migration/path-throughput";
import type { Measurement } from "@/lib/migration-ops/predict";
import type { LaunchOptions } from "@/lib/schemas/migrations";

/**
 * Go / no-go at the chosen settings; re-computed in the browser as the what-if values change.
 * @param learned what completed migrations to the chosen destination taught: the path's throughput
 *   and the job's cost beyond its transfer; without them the NIC's nominal speed and an assumed
 *   setup time are all there is, and the panel says so.
 */
export function PredictionPanel({
  measurement,
  options,
  linkBps,
  learned,
}: {
  measurement: Measurement;
  options: LaunchOptions;
  linkBps: number;
  learned: LearnedPath | undefined;
}) {
  const learnedBps = learned?.pathBps ?? null;
  const learnedOverheadMs = learned?.jobOverheadMs ?? null;
  const state: WhatIfState = {
    memoryBytes: measurement.sendBytes,
    zeroBytes: measurement.memoryBytes - measurement.sendBytes,
    pendingBytes: null,
    dirtyRateBps: measurement.dirtyRateBps,
    workingSetBytes: measurement.workingSetBytes,
    pathBps: learnedBps ?? linkBps,
    capBps: options.bandwidthMiB ? options.bandwidthMiB * MIB : null,
    maxDowntimeMs: options.maxDowntimeMs,
    autoConverge: options.autoConverge.enabled
      ? { ...QEMU_AUTO_CONVERGE, initial: options.autoConverge.initial, increment: options.autoConverge.increment }
      : null,
    throttlePct: 0,
    jobOverheadMs: learnedOverheadMs ?? ASSUMED_JOB_OVERHEAD_MS,
  };
  const bandwidthBps = effectiveBps(state);
  const { verdict, outcome: p, pessimistic } = launchVerdict(state, measurement);
  const lambda = measurement.dirtyRateBps / bandwidthBps;
  const fixes = verdict === "go" ? [] : rankFixes(state, { live: false, postcopyArmed: options.postcopy }).offered;
  return (
    <div
      className="space-y-3 rounded border border-slate-800 p-3"
      data-testid="prediction"
      data-go={verdict === "go"}
      data-verdict={verdict}
    >
      <div className="flex flex-wrap items-center gap-3">
        <Badge tone={verdict === "go" ? "green" : verdict === "no-go" ? "red" : "amber"}>{VERDICT[verdict]}</Badge>
        <span className="text-sm text-slate-300">
          dirty rate {formatBytes(measurement.dirtyRateBps)}/s
          {measurement.workingSetBytes ? ` over a ${formatBytes(measurement.workingSetBytes)} hot set` : ""} vs
          bandwidth {Number.isFinite(bandwidthBps) ? `${formatBytes(bandwidthBps)}/s` : "unlimited"} (λ ={" "}
          {lambda.toFixed(2)})
        </span>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="Data sent" value={p.bytesSent === null ? "—" : formatBytes(p.bytesSent)} />
        <Stat label="Total time" value={p.totalTimeMs === null ? "never" : `${(p.totalTimeMs / 1000).toFixed(1)} s`} />
        <Stat label="Downtime" value={p.downtimeMs === null ? "—" : `${Math.round(p.downtimeMs)} ms`} />
        <Stat label="Final throttle" value={state.autoConverge ? `${p.slowdownPct} %` : "—"} />
      </dl>
      <p className="text-sm text-slate-400">
        {p.reason} {formatBytes(measurement.sendBytes)} of {formatBytes(measurement.memoryBytes)} RAM to send (zero
        pages skipped); dirty rate and hot set from {measurement.windows.map((w) => `${w.seconds} s`).join(" + ")}{" "}
        windows
        {measurement.hotSetSeen ? "" : " (no window saw the hot set fill: its size is a range)"}.
        {learnedBps === null &&
          " The path's throughput is not measured yet (no completed migration to this host that measured it): the NIC's nominal speed is assumed."}
        {learnedOverheadMs === null
          ? ` The job's own setup and finish are not measured yet on this pair: ${(ASSUMED_JOB_OVERHEAD_MS / 1000).toFixed(1)} s is assumed.`
          : ` Includes ${(learnedOverheadMs / 1000).toFixed(1)} s of setup and finish, as earlier jobs on this pair spent.`}
        {verdict === "uncertain" && ` At the pessimistic end of the measurement: ${pessimistic.reason}`}
      </p>
      {fixes.length > 0 && (
        <div>
          <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-400">
            What would make it converge (least disruptive first)
          </h4>
          <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm" data-testid="fixes">
            {fixes.map((f) => (
              <li key={f.kind}>
                <b>{fixTitle(f)}</b> — {outcomeText(f.outcome)}. {f.reason}
                {RISK[f.kind] && <span className="text-amber-300"> ({RISK[f.kind]})</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

function fixTitle(f: Fix): string {
  const a = f.action;
  switch (a.kind) {
    case "set-max-downtime":
      return `Raise max downtime to ${formatMs(a.ms)}`;
    case "set-bandwidth":
      return `Raise the bandwidth cap to ${Math.floor(a.bps / MIB)} MiB/s`;
    case "throttle-harder":
      return `Auto-converge from ${a.initial} % (+${a.increment} %)`;
    case "restart-with-auto-converge":
      return "Auto-converge";
    case "suspend-to-finish":
      return "Suspend to finish after the first pass";
    case "switch-to-postcopy":
      return "Post-copy after the first pass";
    default:
      return a.kind;
  }
}

const VERDICT: Record<LaunchVerdict, string> = {
  go: "GO — converges even at the pessimistic end",
  "no-go": "NO-GO — predicted not to converge",
  uncertain: "UNCERTAIN — converges only if the measurement is not pessimistic",
};

const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`);

const RISK: Partial<Record<FixKind, string>> = {
  "restart-with-auto-converge": "the guest runs slower until the switchover",
  "suspend-to-finish": "the guest is paused until the copy lands",
  "switch-to-postcopy": "a failure of either host or the link during post-copy loses the guest",
};

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded bg-slate-900 px-2 py-1">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}
