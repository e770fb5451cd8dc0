import "server-only";
import { db } from "@/lib/db/client";
import { requestRefresh } from "@/lib/db/hosts";
import { bytesAtPostcopySwitch, countEvents } from "@/lib/db/migration-events";
import { addEvent, type MigrationWithHosts, transition } from "@/lib/db/migrations";
import type { HostReading, Whereabouts } from "@/lib/migration/whereabouts";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import { thisAttemptStats } from "@/lib/migration-ops/completed-stats";
import { whereaboutsFields } from "@/lib/db/whereabouts";
import { stopEventWatcher } from "@/lib/migration-ops/job-event";
import { locateGuest } from "@/lib/migration-ops/locate";
import { relaunchIfRequested } from "@/lib/migration-ops/relaunch";
import { logPathFor, onHost, rawOnHost } from "@/lib/migration-ops/remote";
import { commandLine } from "@/lib/ssh/quote";
import { resume } from "@/lib/virsh/commands";
import type { JobInfo } from "@/lib/virsh/parse-domjobinfo";
import { type MigrateLog, parseMigrateLog } from "@/lib/virsh/parse-migrate-log";

/** How long a launched virsh may run without a visible job (connection setup) before we judge it. */
const SETUP_GRACE_MS = 60_000;
/** How long a landing that cannot be proven (a host cannot be asked) is waited for before "lost". */
const UNPROVEN_AFTER_MS = 120_000;
const ENDING = ["launching", "running", "postcopy"] as const;

/**
 * The source no longer reports an active job (or reports nothing Convoy can read): find out what
 * happened, from this attempt's own evidence. In order: the detached virsh's log — an error there
 * means the migration failed, whatever any statistics say; then both hosts' `domstate` — the
 * migration completed only when the guest runs on the destination and no longer on the source;
 * the completed-job figures are then read, and only this attempt's are stored
 * (completed-stats.ts). Every other ending records where the guest is.
 */
export async function settleMigration(m: MigrationWithHosts, opts: { unreadable?: string } = {}): Promise<void> {
  const logText = (
    await rawOnHost(m, "source", commandLine(["cat", m.logPath ?? logPathFor(m.id)]), { allowNonZero: true })
  ).stdout;
  if (m.state === "launching" && !logText.trim()) {
    // Its launcher died before virsh started: launch it again rather than report a failure.
    await transition(
      m.id,
      ["launching"],
      "queued",
      { ownerId: null, leaseUntil: null },
      { type: "requeued", message: "Launch interrupted; queued again." },
    );
    return;
  }
  const log = parseMigrateLog(logText);
  if (log.error) return settleFailed(m, log);

  const virshAlive = !!m.remotePid && (await stillRunning(m, m.remotePid));
  const { source, where } = await locateGuest(m);
  if (landed(m, source, where)) return finishCompleted(m, where);

  const quietMs = Date.now() - (m.lastSampleAt ?? m.startedAt ?? m.createdAt).getTime();
  if (virshAlive) {
    if (!opts.unreadable && quietMs < SETUP_GRACE_MS) return; // still setting up, or finishing
    const why =
      opts.unreadable ??
      `virsh migrate still runs on ${m.sourceHost.name} but libvirt has shown no job for ${Math.round(quietMs / 1000)} s`;
    return endWith(m, "lost", why, where);
  }
  if (where.location === "unknown" && quietMs < UNPROVEN_AFTER_MS) return; // ask again next tick
  if (where.location === "unknown")
    return endWith(
      m,
      "lost",
      `virsh migrate ended without an error, and ${where.host} cannot be asked whether the guest landed`,
      where,
    );
  return endWith(
    m,
    "failed",
    `virsh migrate ended without an error, but the guest is not running on ${m.destHost.name} alone`,
    where,
  );
}

/**
 * Landed = running on the destination while the source has no running or paused copy (shut off
 * "migrated", or gone with --undefinesource). A guest suspended to finish may land paused (libvirt
 * 9.0 resumes it by itself, but not always in time): paused there with the source gone counts too.
 * A guest that crashed on the destination with the source gone also landed — then died: the
 * migration completed, and guest health records it "landed, unhealthy".
 */
function landed(m: MigrationWithHosts, source: HostReading, where: Whereabouts): boolean {
  if (where.location === "destination") return where.settled;
  const sourceGone =
    source.kind === "absent" || (source.kind === "state" && source.state !== "running" && source.state !== "paused");
  if (where.location === "crashed") return where.host === m.destHost.name && sourceGone;
  return m.guestPaused && where.location === "paused" && where.host === m.destHost.name && sourceGone;
}

async function settleFailed(m: MigrationWithHosts, log: MigrateLog): Promise<void> {
  await stopEventWatcher(m);
  const { where } = await locateGuest(m);
  // With --p2p, libvirt 9.0's virsh reports an abort as the p2p link closing ("End of file while
  // reading data: : Input/output error", lab run 2026-11-24), not "operation aborted": an abort
  // Convoy itself asked for (button, policy, restart with auto-converge) is what tells them apart.
  const cancelled = log.errorKind === "operation-aborted" || (await abortWasRequested(m));
  const at = whereaboutsText(where);
  await transition(
    m.id,
    [...ENDING],
    cancelled ? "cancelled" : "failed",
    { error: log.error, endedAt: new Date(), ...whereaboutsFields(where) },
    {
      type: cancelled ? "cancelled" : "failed",
      message: cancelled
        ? `Migration aborted; the guest is ${at} (${where.detail}).`
        : `virsh migrate failed: ${log.error} The guest is ${at} (${where.detail}).`,
      data: { location: where.location, host: where.host },
    },
    cancelled ? (tx) => relaunchIfRequested(tx, m.id) : undefined,
  );
  await refreshBoth(m);
}

async function endWith(
  m: MigrationWithHosts,
  state: "failed" | "lost",
  why: string,
  where: Whereabouts,
): Promise<void> {
  await stopEventWatcher(m);
  await transition(
    m.id,
    [...ENDING],
    state,
    { error: why, endedAt: new Date(), ...whereaboutsFields(where) },
    {
      type: state,
      message: `${why}. The guest is ${whereaboutsText(where)} (${where.detail}).`,
      data: { location: where.location, host: where.host },
    },
  );
  await refreshBoth(m);
}

async function abortWasRequested(m: MigrationWithHosts): Promise<boolean> {
  if (m.restartRequested) return true;
  const asked = await countEvents(m.id, ["abort-requested", "restart-with-auto-converge-requested"]);
  return asked > 0;
}

async function finishCompleted(m: MigrationWithHosts, where: Whereabouts): Promise<void> {
  if (where.location === "paused") {
    await onHost(m, "dest", resume(m.destHost.libvirtUri, m.vmName));
    await addEvent(db, {
      migrationId: m.id,
      source: "system",
      type: "resumed",
      message: `Resumed the VM on ${m.destHost.name}.`,
    });
  }
  const job = await thisAttemptStats(m);
  await stopEventWatcher(m);
  const postcopyBytes =
    job?.dataProcessedBytes !== undefined ? await bytesAfterSwitch(m.id, job.dataProcessedBytes) : null;
  const running = where.location === "paused" ? { ...where, location: "destination" as const, settled: true } : where;
  const ok = await transition(
    m.id,
    [...ENDING],
    "completed",
    {
      endedAt: new Date(),
      progressPct: 100,
      downtimeMs: job?.downtimeMs ?? null,
      totalTimeMs: job?.timeElapsedMs ?? null,
      dataProcessedBytes: job?.dataProcessedBytes !== undefined ? BigInt(job.dataProcessedBytes) : null,
      postcopyBytes,
      completedStats: job?.raw,
      ...whereaboutsFields(running),
    },
    { type: "completed", message: landingMessage(m, job, running.detail) },
  );
  if (ok) await refreshBoth(m);
}

function landingMessage(m: MigrationWithHosts, job: JobInfo | null, detail: string): string {
  const proof = `Landed on ${m.destHost.name} (${detail})`;
  if (!job && m.state === "postcopy" && (m.options as { undefineSource?: boolean }).undefineSource) {
    // Lab, libvirt 9.0: after post-copy the destination reports "Job type: None" and
    // --undefinesource removed the source domain with its completed record.
    return `${proof}; after post-copy with --undefinesource neither host keeps completed-job statistics and no job-completed event reached Convoy, so downtime and data are unknown.`;
  }
  if (!job)
    return `${proof}; neither host kept this attempt's completed-job statistics, so downtime and data are unknown.`;
  return `${proof}: downtime ${job.downtimeMs ?? "?"} ms, ${job.iteration ?? "?"} passes.`;
}

/** Data sent after the switch to post-copy: the final total minus what had gone when it switched. */
async function bytesAfterSwitch(migrationId: string, finalBytes: number): Promise<bigint | null> {
  const before = await bytesAtPostcopySwitch(migrationId);
  return typeof before === "number" && finalBytes >= before ? BigInt(Math.round(finalBytes - before)) : null;
}

async function stillRunning(m: MigrationWithHosts, pid: number): Promise<boolean> {
  const r = await rawOnHost(m, "source", commandLine(["kill", "-0", String(pid)]), { allowNonZero: true });
  return r.exitCode === 0;
}

async function refreshBoth(m: MigrationWithHosts): Promise<void> {
  await requestRefresh(db, m.sourceHost.id);
  await requestRefresh(db, m.destHost.id);
}
