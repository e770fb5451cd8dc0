import "server-only";
// libvirt's job-completed event on the source, caught by the `virsh event` Convoy starts next to
// `virsh migrate` (launch.ts). After a post-copy migration with --undefinesource it is the only
// record of the job's figures (lab, libvirt 9.0 / QEMU 7.2: the source domain is gone with its
// completed record, the destination's `domjobinfo --completed` says "Job type: None").
import { eventWatcherPid } from "@/lib/db/migration-events";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { log } from "@/lib/log";
import { eventLogPathFor, rawOnHost } from "@/lib/migration-ops/remote";
import { commandLine } from "@/lib/ssh/quote";
import { SshError } from "@/lib/ssh/errors";
import { VirshParseError } from "@/lib/virsh/errors";
import type { JobInfo } from "@/lib/virsh/parse-domjobinfo";
import { parseJobCompletedEvent } from "@/lib/virsh/parse-job-event";

/** The event can reach virsh a moment after `virsh migrate` has exited: how long to wait for it. */
const EVENT_GRACE_MS = 3_000;

/** This attempt's completed statistics from the event (an Outgoing, completed job), or null. */
export async function completedFromEvent(m: MigrationWithHosts): Promise<JobInfo | null> {
  const deadline = Date.now() + EVENT_GRACE_MS;
  for (;;) {
    const text = await readEventLog(m);
    if (text === null) return null;
    try {
      const e = parseJobCompletedEvent(text, m.vmName);
      if (e) return e.job.operation === "migration-out" ? e.job : null;
    } catch (err) {
      if (!(err instanceof VirshParseError)) throw err;
      log.warn("unreadable job-completed event", { migrationId: m.id, error: err.message });
      return null;
    }
    // "events received: 0" (timed out) or virsh gone: no event will come.
    if (/^events received:/m.test(text) || Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/**
 * Ends the watcher of a migration that settled without its event (failed, cancelled, lost). One
 * that printed its event has exited by itself ("events received: 1"), so its pid is never signalled
 * after it may have been reused.
 */
export async function stopEventWatcher(m: MigrationWithHosts): Promise<void> {
  try {
    const pid = await eventWatcherPid(m.id);
    if (pid === undefined) return;
    const text = await readEventLog(m);
    if (text === null || /^events received:/m.test(text)) return;
    await rawOnHost(m, "source", commandLine(["kill", String(pid)]), { allowNonZero: true, timeoutMs: 10_000 });
  } catch (e) {
    if (!(e instanceof SshError)) throw e; // an unreachable source: its watcher ends at its own timeout
  }
}

async function readEventLog(m: MigrationWithHosts): Promise<string | null> {
  try {
    const r = await rawOnHost(m, "source", commandLine(["cat", eventLogPathFor(m.id)]), {
      allowNonZero: true,
      timeoutMs: 10_000,
    });
    return r.exitCode === 0 ? r.stdout : null;
  } catch (e) {
    if (e instanceof SshError) return null;
    throw e;
  }
}
