// The figures in the header, and where they come from. A running migration shows its newest
// sample; a finished one shows libvirt's completed-job statistics (the last 1 Hz sample is up to a
// second before the switchover: "pass 1, 133 MiB left" on a job libvirt closed at pass 3, 0 left);
// without them it shows the last sample and says so.
import type { MigrationView } from "@/lib/schemas/wire";
import { jobInfoFromRawStats } from "@/lib/virsh/job-info";
import { isTerminalState } from "./use-migration-stream";

export type HeaderFigures = {
  /** completed: libvirt's completed job; sample: the newest sample; last-sample: a finished run's last one; none: no data yet. */
  from: "completed" | "sample" | "last-sample" | "none";
  passes: number | null;
  remainingBytes: number | null;
  totalBytes: number | null;
  dirtyBps: number | null;
  transferBps: number | null;
};

const NONE: HeaderFigures = {
  from: "none",
  passes: null,
  remainingBytes: null,
  totalBytes: null,
  dirtyBps: null,
  transferBps: null,
};

export function headerFigures(view: Pick<MigrationView, "state" | "samples" | "completedStats">): HeaderFigures {
  const terminal = isTerminalState(view.state);
  if (terminal) {
    const done = completedFigures(view.completedStats);
    if (done) return done;
  }
  // Setup samples (no memory totals yet) are libvirt before the copy began, not "0 B of 0 B".
  const s = view.samples.findLast((x) => x.totalBytes > 0);
  if (!s) return NONE;
  return {
    from: terminal ? "last-sample" : "sample",
    passes: s.iteration,
    remainingBytes: s.remainingBytes,
    totalBytes: s.totalBytes,
    dirtyBps: s.dirtyRateBps > 0 ? s.dirtyRateBps : null,
    transferBps: s.transferRateBps,
  };
}

/** completedStats holds the raw `domjobinfo --completed --rawstats` keys; anything else is not shown. */
function completedFigures(stats: unknown): HeaderFigures | null {
  if (!stats || typeof stats !== "object" || Array.isArray(stats)) return null;
  let job: ReturnType<typeof jobInfoFromRawStats>;
  try {
    job = jobInfoFromRawStats("completed", stats as Record<string, string>);
  } catch {
    return null;
  }
  if (job.dataTotalBytes === undefined && job.iteration === undefined) return null;
  return {
    from: "completed",
    passes: job.iteration ?? null,
    remainingBytes: job.dataRemainingBytes ?? null,
    totalBytes: job.dataTotalBytes ?? null,
    dirtyBps: job.dirtyRateBytesPerSecond ?? null,
    // The completed job's memory_bps is QEMU's average over the transfer.
    transferBps:
      job.memoryBytesPerSecond === undefined ? null : job.memoryBytesPerSecond + (job.diskBytesPerSecond ?? 0),
  };
}
