import "server-only";
import { getMigration, transition } from "@/lib/db/migrations";
import { log } from "@/lib/log";
import { clearCompletedStats } from "@/lib/migration-ops/completed-stats";
import { eventLogPathFor, logPathFor, rawOnHost } from "@/lib/migration-ops/remote";
import { storedLaunchOptions } from "@/lib/schemas/migrations";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { destinationUri, detached, jobCompletedEvent, migrate } from "@/lib/virsh/commands";

/** How long the job-completed watcher waits at most; settling the migration ends it sooner. */
const EVENT_WATCH_S = 6 * 3600;

/**
 * Starts `virsh migrate --p2p` on the source, detached from the SSH channel (setsid nohup), so
 * neither a dropped connection nor a Convoy restart kills it. The row is already "launching" and
 * owned by this worker; its log path is derived from its id, so a re-adopting worker finds it.
 */
export async function launchMigration(migrationId: string): Promise<void> {
  const m = await getMigration(migrationId);
  if (m?.state !== "launching") return;
  const o = storedLaunchOptions(m.options);
  const logPath = logPathFor(m.id);
  try {
    const argv = migrate(
      m.sourceHost.libvirtUri,
      m.vmName,
      destinationUri(m.destHost.migrationUriTemplate, m.destHost),
      {
        p2p: true,
        persistent: o.persistent,
        undefineSource: o.undefineSource,
        autoConverge: o.autoConverge.enabled
          ? { initial: o.autoConverge.initial, increment: o.autoConverge.increment }
          : false,
        postcopy: o.postcopy,
        bandwidthMiB: o.bandwidthMiB,
        timeout: o.timeout,
        copyStorageAll: o.copyStorage,
        migrateDisks: o.copyStorage && o.migrateDisks?.length ? o.migrateDisks : undefined,
        parallelConnections: o.parallelConnections,
        compressed: o.compressed,
        tls: o.tls,
        verbose: true,
      },
    );
    // Older jobs' completed statistics would otherwise pass for this one's (completed-stats.ts).
    await clearCompletedStats(m);
    // Listening before the job starts: libvirt's job-completed event on the source is the only
    // record of a post-copy migration's figures with --undefinesource (completed-stats.ts).
    const watcher = await rawOnHost(
      m,
      "source",
      detached(jobCompletedEvent(m.sourceHost.libvirtUri, m.vmName, EVENT_WATCH_S), eventLogPathFor(m.id)),
      { timeoutMs: 15_000 },
    );
    const eventWatcherPid = Number.parseInt(watcher.stdout.trim().split(/\s+/).pop() ?? "", 10);
    const { stdout } = await rawOnHost(m, "source", detached(argv, logPath), { timeoutMs: 15_000 });
    const pid = Number.parseInt(stdout.trim().split(/\s+/).pop() ?? "", 10);
    await transition(
      m.id,
      ["launching"],
      "running",
      { remotePid: Number.isFinite(pid) ? pid : null, logPath, startedAt: new Date() },
      {
        type: "launched",
        message: `virsh migrate started on ${m.sourceHost.name} (pid ${Number.isFinite(pid) ? pid : "?"}) → ${m.destHost.name}`,
        data: { eventWatcherPid: Number.isFinite(eventWatcherPid) ? eventWatcherPid : null },
      },
    );
  } catch (e) {
    // An SSH failure, or options/URI template that cannot make a valid command: fail it, clearly.
    const message = e instanceof SshError ? describeSshError(e) : (e as Error).message;
    log.warn("launch failed", { migrationId, error: message });
    await transition(
      m.id,
      ["launching"],
      "failed",
      { error: `Could not launch: ${message}`, endedAt: new Date() },
      { type: "launch-failed", message },
    );
  }
}
