import "server-only";
import type { LiveSample } from "@/lib/realtime/channels";
import type { JobInfo } from "@/lib/virsh/parse-domjobinfo";

/** A running job's statistics as one chart sample (bytes, bytes/s, ms). */
export function sampleFromJob(job: JobInfo, at: Date): LiveSample {
  return {
    at: at.toISOString(),
    elapsedMs: job.timeElapsedMs ?? 0,
    processedBytes: job.dataProcessedBytes ?? 0,
    remainingBytes: job.dataRemainingBytes ?? 0,
    totalBytes: job.dataTotalBytes ?? 0,
    dirtyRateBps: job.dirtyRateBytesPerSecond ?? 0,
    transferRateBps: (job.memoryBytesPerSecond ?? 0) + (job.diskBytesPerSecond ?? 0),
    iteration: job.iteration ?? 0,
    throttlePct: job.autoConvergeThrottlePercent ?? 0,
    expectedDowntimeMs: job.expectedDowntimeMs ?? 0,
    postcopyRequests: job.postcopyRequests ?? 0,
  };
}
