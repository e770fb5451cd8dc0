import "server-only";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { completedFromEvent } from "@/lib/migration-ops/job-event";
import { onHost } from "@/lib/migration-ops/remote";
import { SshError } from "@/lib/ssh/errors";
import { domJobInfo } from "@/lib/virsh/commands";
import { VirshParseError } from "@/lib/virsh/errors";
import { type JobInfo, parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";

// libvirt keeps ONE completed-job record per domain and replaces it only when a job completes
// (qemuMigrationSrcWaitForCompletion in libvirt 9.0): a failed or cancelled migration leaves the
// previous record in place, so `domjobinfo --completed --keep-completed` after a failed attempt
// shows an older job's statistics — on a guest that came in earlier, "Completed, Incoming
// migration" on the very source. Reading without --keep-completed deletes the record (the next
// read says "Job type: None"). Completed records carry no start time (only `time_elapsed`, which a
// simulated fleet even runs faster than the wall clock), so their age cannot tell them apart.
// Convoy therefore clears both hosts' records just before it launches, accepts afterwards only the
// record of the right direction (Outgoing on the source, Incoming on the destination), and never
// takes a record as proof of a landing: that is what both hosts' domstate is for (finish.ts).

/** Reads and thereby deletes the completed-job records on both hosts (best effort on the destination). */
export async function clearCompletedStats(m: MigrationWithHosts): Promise<void> {
  await onHost(m, "source", domJobInfo(m.sourceHost.libvirtUri, m.vmName, { completed: true }), {
    allowNonZero: true,
    timeoutMs: 10_000,
  });
  try {
    await onHost(m, "dest", domJobInfo(m.destHost.libvirtUri, m.vmName, { completed: true }), {
      allowNonZero: true,
      timeoutMs: 10_000,
    });
  } catch (e) {
    // The destination's record can only ever be an Incoming one; a stale one is refused by its age.
    if (!(e instanceof SshError)) throw e;
  }
}

/**
 * This attempt's completed-job statistics: the source's Outgoing record, else the destination's
 * Incoming one (with --undefinesource the source domain is gone), else the source's job-completed
 * event caught since the launch (after post-copy the destination has none: "Job type: None").
 * null when none of them can be this attempt's.
 */
export async function thisAttemptStats(m: MigrationWithHosts): Promise<JobInfo | null> {
  for (const [side, operation] of [
    ["source", "migration-out"],
    ["dest", "migration-in"],
  ] as const) {
    const job = await readCompleted(m, side);
    if (job?.type === "completed" && job.operation === operation) return job;
  }
  return completedFromEvent(m);
}

async function readCompleted(m: MigrationWithHosts, side: "source" | "dest"): Promise<JobInfo | null> {
  const host = side === "source" ? m.sourceHost : m.destHost;
  try {
    const r = await onHost(m, side, domJobInfo(host.libvirtUri, m.vmName, { completed: true, keepCompleted: true }), {
      allowNonZero: true,
      timeoutMs: 10_000,
    });
    return r.exitCode === 0 ? parseDomJobInfo(r.stdout) : null;
  } catch (e) {
    if (e instanceof SshError || e instanceof VirshParseError) return null; // no figures, not no landing
    throw e;
  }
}
