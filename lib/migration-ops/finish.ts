import "server-only";
import { db } from "@/lib/db/client";
import { requestRefresh } from "@/lib/db/hosts";
import { addEvent, type MigrationWithHosts, transition } from "@/lib/db/migrations";
import { relaunchIfRequested } from "@/lib/migration-ops/relaunch";
import { logPathFor, onHost, rawOnHost } from "@/lib/migration-ops/remote";
import { SshError } from "@/lib/ssh/errors";
import { commandLine } from "@/lib/ssh/quote";
import { domJobInfo, domState, resume } from "@/lib/virsh/commands";
import { type JobInfo, parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import { parseMigrateLog } from "@/lib/virsh/parse-migrate-log";

/** How long a launched virsh may run without a visible job (connection setup) before we judge it. */
const SETUP_GRACE_MS = 60_000;

/**
 * The source no longer reports an active job: find out what happened. Completed-job statistics
 * vanish once read without --keep-completed, and with --undefinesource the source domain is gone,
 * so the destination's copy (Operation: Incoming migration) is the fallback.
 */
export async function settleMigration(m: MigrationWithHosts): Promise<void> {
  const completed = (await completedJob(m, "source")) ?? (await completedJob(m, "dest"));
  if (completed) return finishCompleted(m, completed);

  const logText = (await rawOnHost(m, "source", commandLine(["cat", m.logPath ?? logPathFor(m.id)]), { allowNonZero: true })).stdout;
  if (m.state === "launching" && !logText.trim()) {
    // Its launcher died before virsh started: launch it again rather than report a failure.
    await transition(m.id, ["launching"], "queued", { ownerId: null, leaseUntil: null }, { type: "requeued", message: "Launch interrupted; queued again." });
    return;
  }
  const outcome = parseMigrateLog(logText);
  if (!outcome.error && m.remotePid && (await stillRunning(m, m.remotePid))) {
    if (Date.now() - (m.startedAt?.getTime() ?? 0) < SETUP_GRACE_MS) return; // still setting up
  }
  if (outcome.error) {
    // With --p2p, libvirt 9.0's virsh reports an abort as the p2p link closing ("End of file while
    // reading data: : Input/output error", lab run 2026-11-24), not "operation aborted": an abort
    // Convoy itself asked for (button, policy, restart with auto-converge) is what tells them apart.
    const cancelled = outcome.errorKind === "operation-aborted" || (await abortWasRequested(m));
    await transition(m.id, ["launching", "running", "postcopy"], cancelled ? "cancelled" : "failed", { error: outcome.error, endedAt: new Date() }, {
      type: cancelled ? "cancelled" : "failed",
      message: cancelled ? "Migration aborted; the VM keeps running on the source." : `virsh migrate failed: ${outcome.error}`,
    });
    if (cancelled) await relaunchIfRequested(m.id);
  } else if (await runsOn(m, "dest")) {
    await transition(m.id, ["launching", "running", "postcopy"], "completed", { endedAt: new Date(), progressPct: 100 }, {
      type: "completed",
      message: `The VM runs on ${m.destHost.name}; its completed-job statistics were no longer available.`,
    });
  } else if (!m.remotePid || !(await stillRunning(m, m.remotePid))) {
    await transition(m.id, ["launching", "running", "postcopy"], "failed", { error: "The migration job vanished without an outcome.", endedAt: new Date() }, {
      type: "failed",
      message: "The migration job vanished from the source without an outcome (libvirtd restarted?).",
    });
  }
  await refreshBoth(m);
}

async function abortWasRequested(m: MigrationWithHosts): Promise<boolean> {
  if (m.restartRequested) return true;
  const asked = await db.migrationEvent.count({ where: { migrationId: m.id, type: { in: ["abort-requested", "restart-auto-converge-requested"] } } });
  return asked > 0;
}

async function finishCompleted(m: MigrationWithHosts, job: JobInfo): Promise<void> {
  // A guest suspended to finish may land paused; libvirt 9.0 resumes it by itself (lab s1/s7),
  // so resume only when it did not.
  const dest = await onHost(m, "dest", domState(m.destHost.libvirtUri, m.vmName), { allowNonZero: true });
  const state = dest.exitCode === 0 ? parseDomState(dest.stdout) : null;
  if (state?.state === "paused" && m.guestPaused) {
    await onHost(m, "dest", resume(m.destHost.libvirtUri, m.vmName));
    await addEvent(db, { migrationId: m.id, source: "system", type: "resumed", message: `Resumed the VM on ${m.destHost.name}.` });
  }
  const ok = await transition(
    m.id,
    ["launching", "running", "postcopy"],
    "completed",
    {
      endedAt: new Date(),
      progressPct: 100,
      downtimeMs: job.downtimeMs ?? null,
      totalTimeMs: job.timeElapsedMs ?? null,
      dataProcessedBytes: job.dataProcessedBytes !== undefined ? BigInt(job.dataProcessedBytes) : null,
      completedStats: job.raw,
    },
    { type: "completed", message: `Landed on ${m.destHost.name}: downtime ${job.downtimeMs ?? "?"} ms, ${job.iteration ?? "?"} passes.` },
  );
  if (ok) await refreshBoth(m);
}

async function completedJob(m: MigrationWithHosts, side: "source" | "dest"): Promise<JobInfo | null> {
  const host = side === "source" ? m.sourceHost : m.destHost;
  const r = await onHostOrDestDown(m, side, domJobInfo(host.libvirtUri, m.vmName, { completed: true, keepCompleted: true }));
  if (r?.exitCode !== 0) return null;
  const job = parseDomJobInfo(r.stdout);
  return job.type === "completed" ? job : null;
}

async function runsOn(m: MigrationWithHosts, side: "source" | "dest"): Promise<boolean> {
  const host = side === "source" ? m.sourceHost : m.destHost;
  const r = await onHostOrDestDown(m, side, domState(host.libvirtUri, m.vmName));
  return !!r && r.exitCode === 0 && parseDomState(r.stdout).state === "running";
}

/**
 * A dead destination is a common reason for the job to end: it must not keep the migration from
 * being settled from the source's log (its SSH error would otherwise count as "source unreachable"
 * and hold the migration for minutes). null = the destination could not be asked.
 */
async function onHostOrDestDown(m: MigrationWithHosts, side: "source" | "dest", argv: string[]) {
  try {
    return await onHost(m, side, argv, { allowNonZero: true, timeoutMs: side === "dest" ? 10_000 : undefined });
  } catch (e) {
    if (side === "dest" && e instanceof SshError) return null;
    throw e;
  }
}

async function stillRunning(m: MigrationWithHosts, pid: number): Promise<boolean> {
  const r = await rawOnHost(m, "source", commandLine(["kill", "-0", String(pid)]), { allowNonZero: true });
  return r.exitCode === 0;
}

async function refreshBoth(m: MigrationWithHosts): Promise<void> {
  await requestRefresh(db, m.sourceHost.id);
  await requestRefresh(db, m.destHost.id);
}
