// What the path between two hosts really carries, learned from migrations that completed on it —
// not the NIC's nominal speed (the lab's 10 Gb/s-rated path carried 56–125 MiB/s; the demo's
// 1192 MiB/s link 1121 MiB/s). Pure.
export type CompletedRun = { processedBytes: number; totalTimeMs: number; capBps: number | null };

/** A capped run below this share of its cap was held back by the path, so it measured the path. */
const PATH_LIMITED = 0.9;
/** Runs shorter than this are mostly setup and say little about throughput. */
const MIN_MS = 2000;

/** Median throughput of the runs that measured the path (uncapped, or capped but slower than the cap); null if none. */
export function learnedPathThroughput(runs: readonly CompletedRun[]): number | null {
  const rates = runs
    .filter((r) => r.totalTimeMs >= MIN_MS && r.processedBytes > 0)
    .map((r) => ({ bps: r.processedBytes / (r.totalTimeMs / 1000), cap: r.capBps }))
    .filter((r) => r.cap === null || r.bps < PATH_LIMITED * r.cap)
    .map((r) => r.bps)
    .sort((a, b) => a - b);
  return rates.length ? rates[Math.floor(rates.length / 2)]! : null;
}
