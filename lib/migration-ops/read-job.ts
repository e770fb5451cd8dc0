import "server-only";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { onHost } from "@/lib/migration-ops/remote";
import { storedLaunchOptions } from "@/lib/schemas/migrations";
import type { LiveSample } from "@/lib/schemas/wire";
import { SshError } from "@/lib/ssh/errors";
import { domJobInfo, domState } from "@/lib/virsh/commands";
import { VirshParseError } from "@/lib/virsh/errors";
import { type JobInfo, parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { parseDomState } from "@/lib/virsh/parse-domstate";

/** What the source says about a migration's job, read once per tick; what it means is settle-sample.ts's. */
export type JobReading =
  /** `sample` is null while libvirt is still setting the job up; `postcopy`: the source entered post-copy. */
  | { kind: "active"; job: JobInfo; sample: LiveSample | null; postcopy: boolean }
  /** The source reports no active job: the migration ended, one way or another. */
  | { kind: "ended" }
  /** Output that is not virsh's (a broken or hostile host). */
  | { kind: "unreadable"; text: string }
  | { kind: "unreachable"; error: SshError };

/**
 * Reads the source's job (`domjobinfo --rawstats`, and `domstate` when post-copy is armed but not
 * yet seen): SSH reads only — no writes, no transitions, nothing remembered.
 */
export async function readJob(m: MigrationWithHosts): Promise<JobReading> {
  try {
    const r = await onHost(m, "source", domJobInfo(m.sourceHost.libvirtUri, m.vmName), {
      allowNonZero: true,
      timeoutMs: 10_000,
    });
    const at = new Date();
    let job: JobInfo | null;
    try {
      job = r.exitCode === 0 ? parseDomJobInfo(r.stdout) : null;
    } catch (e) {
      if (!(e instanceof VirshParseError)) throw e;
      return { kind: "unreadable", text: r.stdout };
    }
    if (!job?.active) return { kind: "ended" };
    const armed = m.state !== "postcopy" && storedLaunchOptions(m.options).postcopy;
    return { kind: "active", job, sample: sampleFromJob(job, at), postcopy: armed && (await inPostcopy(m, job)) };
  } catch (e) {
    if (e instanceof SshError && e.kind !== "exit") return { kind: "unreachable", error: e };
    throw e;
  }
}

/** Post-copy shows as pages faulted in from the source, or as the source's `paused (post-copy)`. */
async function inPostcopy(m: MigrationWithHosts, job: JobInfo): Promise<boolean> {
  if ((job.postcopyRequests ?? 0) > 0) return true;
  const s = await onHost(m, "source", domState(m.sourceHost.libvirtUri, m.vmName), { allowNonZero: true });
  return s.exitCode === 0 && parseDomState(s.stdout).reason === "post-copy";
}

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
