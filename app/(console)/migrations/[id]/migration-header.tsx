// Who, where, how far: VM, source → destination, state, progress (as far as it is true), elapsed,
// ETA, passes, λ, the settings in force (as read back from the host) and the live stream's health.
// A finished migration shows libvirt's completed-job figures, not its last sample (header-figures.ts).
import Link from "next/link";
import { formatRate } from "@/components/charts/chart-utils";
import type { MigrationView } from "@/lib/schemas/wire";
import { displayName, formatBytes } from "@/lib/format";
import { liveProgress } from "@/lib/migration/progress";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import { formatDuration, formatUtc } from "../display";
import { StateBadge } from "../migration-badges";
import { headerFigures } from "./header-figures";
import { ProgressLine } from "./progress-line";
import type { Connection } from "./use-migration-stream";

const MIB = 1024 ** 2;

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
  const s = view.samples.at(-1);
  const f = headerFigures(view);
  const live = f.from === "sample";
  const lambda = live && f.dirtyBps !== null && f.transferBps ? f.dirtyBps / f.transferBps : null;
  const progress = liveProgress(
    view.state,
    view.samples.findLast((x) => x.totalBytes > 0),
    view.progressPct,
  );
  const source = f.from === "completed" ? " (completed job)" : f.from === "last-sample" ? " (last sample)" : "";
  return (
    <header className="space-y-3">
      <p className="text-sm text-slate-400">
        <Link href="/migrations" className="hover:underline">
          Migrations
        </Link>{" "}
        / {displayName(view.vmName)}
        {view.restartOfId && (
          <>
            {" "}
            · restart of{" "}
            <Link href={`/migrations/${view.restartOfId}`} className="text-sky-300 hover:underline">
              the previous attempt
            </Link>
          </>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h1 className="text-2xl font-semibold">{displayName(view.vmName)}</h1>
        <span className="text-lg text-slate-300">
          {displayName(view.source.name)} <span aria-hidden>→</span>
          <span className="sr-only">to</span> {displayName(view.dest.name)}
        </span>
        <StateBadge state={view.state} testId="migration-state" />
        {view.guestPaused && view.state !== "completed" && (
          <span className="rounded bg-amber-900/60 px-1.5 py-0.5 text-xs text-amber-200">guest paused</span>
        )}
        <ConnectionStatus connection={connection} attempt={attempt} />
      </div>
      <ProgressLine progress={progress} verdict={verdict} />
      {staleMs !== null && staleMs > 10_000 && (
        <p role="status" className="text-sm text-amber-300">
          No new sample for {formatDuration(staleMs)} — the worker may be busy or the source unreachable; see the events
          below.
        </p>
      )}
      {/* data-sample-at: which sample the page shows (the scale-out test compares two servers' pages) */}
      <dl
        data-testid="live-stats"
        data-sample-at={s?.at ?? ""}
        data-figures={f.from}
        className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-x-6 gap-y-2"
      >
        <Stat label="Elapsed" testId="elapsed">
          {formatDuration(elapsedMs)}
        </Stat>
        <Stat label="ETA" testId="eta">
          {etaMs === null ? "—" : etaMs > 0 ? `≈ ${formatDuration(etaMs)}` : "due now"}
        </Stat>
        <Stat label={`Passes${source}`} testId="passes">
          {f.passes ?? (f.from === "none" ? "—" : "unknown")}
        </Stat>
        <Stat
          label={
            <>
              <span className="normal-case">λ</span> = dirty / transfer
            </>
          }
          testId="lambda"
          warn={lambda !== null && lambda >= 1}
        >
          <span title="Dirty rate / transfer rate of the last sample; ≥ 1 means the guest dirties memory faster than it is sent.">
            {lambda === null ? "—" : lambda.toFixed(2)}
          </span>
          {lambdaAvg !== null && (
            <span
              className="text-xs text-slate-400"
              title="Dirtied / transferred per pass, smoothed: what the verdict uses."
            >
              {" "}
              (per pass {lambdaAvg.toFixed(2)})
            </span>
          )}
        </Stat>
        <Stat label={`Remaining${source}`} testId="remaining">
          {f.from === "none"
            ? view.state === "queued"
              ? "—"
              : "starting"
            : `${bytesOrUnknown(f.remainingBytes)} / ${bytesOrUnknown(f.totalBytes)}`}
        </Stat>
        <Stat label="Dirty rate">{f.dirtyBps !== null && f.dirtyBps > 0 ? formatRate(f.dirtyBps / MIB) : "—"}</Stat>
        <Stat label={f.from === "completed" ? "Transfer rate (average)" : "Transfer rate"}>
          {f.transferBps !== null ? formatRate(f.transferBps / MIB) : "—"}
        </Stat>
        <Stat label="Max downtime" testId="max-downtime">
          {options.maxDowntimeMs} ms
        </Stat>
        <Stat label="Bandwidth cap" testId="bandwidth-cap">
          {options.bandwidthMiB ? `${options.bandwidthMiB} MiB/s` : "unlimited"}
        </Stat>
      </dl>
      <p className="text-xs text-slate-500">
        Started {formatUtc(view.startedAt ?? view.createdAt)} · auto-converge{" "}
        {options.autoConverge.enabled
          ? `on (${options.autoConverge.initial} %, +${options.autoConverge.increment} %)`
          : "off"}{" "}
        · post-copy {options.postcopy ? "armed" : "not armed"}
        {options.copyStorage ? " · copies storage" : ""}
        {view.policyName ? ` · policy ${view.policyName}` : ""} · {view.vcpus} vCPUs, {formatBytes(view.memoryBytes)}
      </p>
    </header>
  );
}

const bytesOrUnknown = (b: number | null) => (b === null ? "unknown" : formatBytes(b));

function Stat({
  label,
  children,
  testId,
  warn,
}: {
  label: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
  warn?: boolean;
}) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-slate-400">{label}</dt>
      <dd
        data-testid={testId}
        className={`truncate font-mono text-sm tabular-nums ${warn ? "text-rose-300" : "text-slate-100"}`}
      >
        {children}
      </dd>
    </div>
  );
}

function ConnectionStatus({ connection, attempt }: { connection: Connection; attempt: number }) {
  const text =
    connection === "live"
      ? "live"
      : connection === "connecting"
        ? "connecting…"
        : connection === "reconnecting"
          ? `reconnecting…${attempt > 1 ? ` (attempt ${attempt})` : ""}`
          : "replay";
  const dot =
    connection === "live" ? "bg-emerald-400" : connection === "ended" ? "bg-slate-500" : "animate-pulse bg-amber-400";
  return (
    <span
      role="status"
      data-testid="connection-status"
      data-connection={connection}
      className="inline-flex items-center gap-1.5 text-xs text-slate-400"
    >
      <span aria-hidden className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
