// Who, where, how far: VM, source → destination, state, progress (as far as it is true), elapsed,
// ETA, passes, λ, the settings in force (as read back from the host) and the live stream's health.
// A finished migration shows libvirt's completed-job figures, not its last sample (header-figures.ts).
import { formatBytes } from "@/lib/format";
import { liveProgress } from "@/lib/migration/progress";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import type { MigrationView } from "@/lib/schemas/wire";
import { formatDuration, formatUtc } from "../display";
import { LiveStats } from "./live-stats";
import { MigrationBreadcrumb, MigrationTitle } from "./migration-title";
import { ProgressLine } from "./progress-line";
import type { Connection } from "./use-migration-stream";

export function MigrationHeader({
  view,
  options,
  connection,
  attempt,
  elapsedMs,
  etaMs,
  staleMs,
  lambdaAvg,
  verdict,
}: {
  view: MigrationView;
  options: LaunchOptions;
  connection: Connection;
  attempt: number;
  elapsedMs: number | null;
  etaMs: number | null;
  /** ms since the last sample while the migration runs (null when not applicable). */
  staleMs: number | null;
  /** The verdict's λ: dirtied/transferred per pass, smoothed (what the verdict is based on). */
  lambdaAvg: number | null;
  /** The worker's verdict (converging, stalled, …) while it runs. */
  verdict: string | null;
}) {
  const progress = liveProgress(
    view.state,
    view.samples.findLast((x) => x.totalBytes > 0),
    view.progressPct,
  );
  return (
    <header className="space-y-3">
      <MigrationBreadcrumb view={view} />
      <MigrationTitle view={view} connection={connection} attempt={attempt} />
      <ProgressLine progress={progress} verdict={verdict} />
      {staleMs !== null && staleMs > 10_000 && (
        <p role="status" className="text-sm text-amber-300">
          No new sample for {formatDuration(staleMs)} — the worker may be busy or the source unreachable; see the events
          below.
        </p>
      )}
      <LiveStats view={view} options={options} elapsedMs={elapsedMs} etaMs={etaMs} lambdaAvg={lambdaAvg} />
      <SettingsInForce view={view} options={options} />
    </header>
  );
}

/** When it started and how it was launched: the settings in force, the policy and the guest's size. */
function SettingsInForce({ view, options }: { view: MigrationView; options: LaunchOptions }) {
  return (
    <p className="text-xs text-slate-500">
      Started {formatUtc(view.startedAt ?? view.createdAt)} · auto-converge{" "}
      {options.autoConverge.enabled
        ? `on (${options.autoConverge.initial} %, +${options.autoConverge.increment} %)`
        : "off"}{" "}
      · post-copy {options.postcopy ? "armed" : "not armed"}
      {options.copyStorage ? " · copies storage" : ""}
      {view.policyName ? ` · policy ${view.policyName}` : ""} · {view.vcpus} vCPUs, {formatBytes(view.memoryBytes)}
    </p>
  );
}
