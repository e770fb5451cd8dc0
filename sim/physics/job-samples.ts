// The console's view of a simulated job: what the worker stores from `domjobinfo --rawstats` once a
// second (the shape of lib/migration's MigrationSample). For benchmarks and tests that run the
// console's own analysis against the model; the model itself does not use it.
import type { MigrationSample } from "@/lib/migration/types";
import type { PrecopyMigration } from "./precopy";

/** One sample in the console's own shape (lib/migration/types.ts). */
export type JobSample = MigrationSample;

export function jobSample(m: PrecopyMigration, atMs: number): JobSample {
  const st = m.jobStats();
  return {
    atMs,
    elapsedMs: st.time_elapsed ?? atMs,
    processedBytes: st.data_processed ?? 0,
    remainingBytes: st.data_remaining ?? 0,
    totalBytes: st.data_total ?? 0,
    dirtyRateBps: (st.memory_dirty_rate ?? 0) * (st.memory_page_size ?? 4096),
    transferRateBps: st.memory_bps ?? 0,
    iteration: st.memory_iteration ?? 0,
    throttlePct: st.auto_converge_throttle ?? 0,
    expectedDowntimeMs: st.downtime ?? 0,
    postcopyRequests: st.memory_postcopy_requests ?? 0,
  };
}

/** Samples the job at 1 Hz for `seconds` (or until it ends) on a link of `linkBps`. */
export function sampleJob(m: PrecopyMigration, linkBps: number, seconds: number, everyMs = 1000): JobSample[] {
  const out: JobSample[] = [];
  const ended = () => m.phase === "completed" || m.phase === "cancelled" || m.phase === "failed";
  for (let t = everyMs; t <= seconds * 1000 && !ended(); t += everyMs) {
    m.advance(everyMs, linkBps);
    if (!ended()) out.push(jobSample(m, t));
  }
  return out;
}
