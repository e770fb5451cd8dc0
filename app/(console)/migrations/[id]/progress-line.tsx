// Progress as far as it is true (lib/migration/progress.ts): a bar only for the first full copy and
// for a completed job; later passes say which pass runs and what is left, next to the verdict; a
// run that failed, was cancelled or was lost shows no percentage at all.
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatBytes } from "@/lib/format";
import type { LiveProgress } from "@/lib/migration/progress";

const VERDICT_TEXT: Record<string, string> = {
  converging: "converging",
  stalled: "stalled",
  "wont-converge": "won't converge",
  "too-early": "assessing",
};

const ENDED_TEXT: Record<string, string> = {
  failed: "Failed — no progress figure: the job did not complete.",
  cancelled: "Cancelled — no progress figure: the job was aborted.",
  lost: "Lost — no progress figure: the source stopped answering before the job ended.",
};

export function ProgressLine({ progress, verdict }: { progress: LiveProgress; verdict: string | null }) {
  const text = (children: React.ReactNode) => (
    <p data-testid="progress-text" data-kind={progress.kind} className="font-mono text-sm tabular-nums text-slate-200">
      {children}
    </p>
  );
  switch (progress.kind) {
    case "starting":
      return text("Starting — libvirt is setting the job up; nothing measured yet.");
    case "first-pass":
      return (
        <div className="flex max-w-3xl items-center gap-3" data-testid="progress-text" data-kind="first-pass">
          <span className="whitespace-nowrap text-xs uppercase tracking-wide text-slate-400">First copy of memory</span>
          <ProgressBar
            value={progress.pct}
            label="First copy of memory"
            valueTestId="progress-pct"
            className="flex-1"
          />
        </div>
      );
    case "passes":
      return text(
        <>
          Pass {progress.pass} · {formatBytes(progress.remainingBytes)} left
          {verdict && VERDICT_TEXT[verdict] ? ` · ${VERDICT_TEXT[verdict]}` : ""}{" "}
          <span className="font-sans text-xs text-slate-500">
            (dirty pages are re-sent every pass: no percentage is true here)
          </span>
        </>,
      );
    case "postcopy":
      return text(`Post-copy · ${formatBytes(progress.remainingBytes)} left to pull to the destination`);
    case "completed":
      return (
        <ProgressBar
          value={100}
          label="Migration progress"
          tone="green"
          valueTestId="progress-pct"
          className="max-w-3xl"
        />
      );
    case "ended":
      return text(ENDED_TEXT[progress.state] ?? `${progress.state} — no progress figure.`);
  }
}
