// What the path between two hosts really carries, and what a job costs beyond its transfer, learned
// from migrations that completed on it — not the NIC's nominal speed (the lab's 10 Gb/s-rated path
// carried 29–125 MiB/s; the demo's 1192 MiB/s link 1121 MiB/s). Pure.
export type CompletedRun = {
  processedBytes: number;
  totalTimeMs: number;
  capBps: number | null;
  /** The guest's configured RAM: every page of it is scanned, zero pages included. */
  memoryBytes: number;
  /**
   * QEMU's own rate over its transfer, the completed record's memory_bps: bytes / (QEMU's total
   * time − its setup time). Absent from older records.
   */
  transferBps?: number | null;
};

/** What completed migrations on one host pair taught: the path's throughput and the job's own cost. */
export type LearnedPath = { pathBps: number | null; jobOverheadMs: number | null };

/**
 * A capped run below this share of its cap was held back by the path, so it measured the path. A run
 * the cap held back averages cap × (share of its time spent sending): setup, scanning zero pages and
 * the switchover send nothing. That share was 0.54–0.85 for the lab's capped runs (a 256 MiB writer
 * under 8 MiB/s averaged 6.8 MiB/s and, taken as the path, made the next prediction 3.4× too long),
 * so only a run below half its cap is read as a slower path.
 */
const PATH_LIMITED = 0.5;
/** Runs shorter than this are mostly setup and say little about throughput. */
const MIN_MS = 2000;
/**
 * A run that sent less than this share of the guest's RAM spent much of its time scanning zero
 * pages, which QEMU skips without sending: its bytes / time is the scanner's speed, not the path's.
 * (The lab's capped idle 256 MiB guest sent 80 MiB in 9.6 s — 8.3 MiB/s under a 16 MiB/s cap —
 * and was taken as an 8 MiB/s path; an uncapped writer then moved 138 MiB in 7.8 s on it.)
 */
const MOSTLY_SENT = 0.5;

/**
 * What a job costs beyond its transfer until a host pair has shown its own: setup (p2p connection,
 * QEMU started on the destination) and libvirt's finish. The evacuation planner assumes the same per
 * move. A quiet lab capture spent 0.34 s; the lab's TCG guests over qemu+ssh 0.3–5.2 s.
 */
export const ASSUMED_JOB_OVERHEAD_MS = 1500;

/**
 * The job's cost outside QEMU's transfer, learned from the same runs: libvirt's elapsed time minus
 * data / QEMU's transfer rate. It covers the p2p connection, starting QEMU on the destination,
 * QEMU's setup and libvirt's finish on both hosts; all of it sends nothing, whatever the cap. A
 * prediction from bytes and rate alone left it out: 0.1 s predicted for an uncapped idle guest that
 * took 2–6 s on the lab.
 *
 * Its outliers are one-sided: nothing makes a job cheaper than its floor, while a cold first start
 * (the lab's first job to a fresh destination spent 3.7 s, the next five 0.3–1.6 s) or a loaded host
 * makes one dearer. So the estimate is the lower median, with the assumption above counted as one
 * more run: one fast run is believed at once, one slow run only once another confirms it. Null if no
 * run reports a rate.
 */
export function learnedJobOverheadMs(runs: readonly CompletedRun[]): number | null {
  const costs = runs.flatMap((r) =>
    r.transferBps && r.transferBps > 0 && r.totalTimeMs > 0
      ? [Math.max(0, r.totalTimeMs - (r.processedBytes / r.transferBps) * 1000)]
      : [],
  );
  if (!costs.length) return null;
  const all = [...costs, ASSUMED_JOB_OVERHEAD_MS].sort((a, b) => a - b);
  return all[Math.floor((all.length - 1) / 2)]!;
}

/** Median throughput of the runs that measured the path (mostly sending, and uncapped or slower than their cap); null if none. */
export function learnedPathThroughput(runs: readonly CompletedRun[]): number | null {
  const rates = runs
    .filter((r) => r.totalTimeMs >= MIN_MS && r.processedBytes > 0 && r.processedBytes >= MOSTLY_SENT * r.memoryBytes)
    .map((r) => ({ bps: r.transferBps || r.processedBytes / (r.totalTimeMs / 1000), cap: r.capBps }))
    .filter((r) => r.cap === null || r.bps < PATH_LIMITED * r.cap)
    .map((r) => r.bps)
    .sort((a, b) => a - b);
  return rates.length ? rates[Math.floor(rates.length / 2)]! : null;
}
