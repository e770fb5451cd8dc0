import "server-only";
import type { LiveSample } from "@/lib/realtime/channels";
import type { JobInfo } from "@/lib/virsh/parse-domjobinfo";

/**
 * A running job's statistics as one chart sample (bytes, bytes/s, ms), or null while libvirt is
 * still setting the job up: it then reports the job with no memory totals (lab s2a's first reading,
 * 108 ms in: data_total 0), which is no measurement — the page says "starting" instead of "0 B / 0 B".
 */
export function sampleFromJob(job: JobInfo, at: Date): LiveSample | null {
  if (!((job.dataTotalBytes ?? 0) > 0)) return null;
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
