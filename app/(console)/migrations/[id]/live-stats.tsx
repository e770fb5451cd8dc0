// The header's figures: a running migration's newest sample, or a finished one's completed-job
// statistics (header-figures.ts), with the settings in force as read back from the host.
import type { ReactNode } from "react";
import { formatRate } from "@/components/charts/chart-utils";
import { formatBytes } from "@/lib/format";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import type { MigrationView } from "@/lib/schemas/wire";
import { formatDuration } from "../display";
import { headerFigures } from "./header-figures";

const MIB = 1024 ** 2;

export function LiveStats({
  view,
  options,
  elapsedMs,
  etaMs,
  lambdaAvg,
}: {
  view: MigrationView;
  options: LaunchOptions;
  elapsedMs: number | null;
  etaMs: number | null;
  lambdaAvg: number | null;
}) {
  const s = view.samples.at(-1);
  const f = headerFigures(view);
  const live = f.from === "sample";
  const lambda = live && f.dirtyBps !== null && f.transferBps ? f.dirtyBps / f.transferBps : null;
  const source = f.from === "completed" ? " (completed job)" : f.from === "last-sample" ? " (last sample)" : "";
  return (
    // data-sample-at: which sample the page shows (the scale-out test compares two servers' pages)
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
  );
}

const bytesOrUnknown = (b: number | null) => (b === null ? "unknown" : formatBytes(b));

function Stat({
  label,
  children,
  testId,
  warn,
}: {
  label: ReactNode;
  children: ReactNode;
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
