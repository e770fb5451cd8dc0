import "server-only";
import { db } from "@/lib/db/client";
import { latestEventAt } from "@/lib/db/migration-events";
import { addEvent, listSamples, type MigrationWithHosts, transition } from "@/lib/db/migrations";
import { whereaboutsFields } from "@/lib/db/whereabouts";
import { nextProgress } from "@/lib/migration/progress";
import { assessConvergence, postcopyAssessment } from "@/lib/migration/stall";
import type { MigrationSample } from "@/lib/migration/types";
import { escalate } from "@/lib/migration-ops/escalate";
import { settleMigration } from "@/lib/migration-ops/finish";
import { locateGuest } from "@/lib/migration-ops/locate";
import type { JobReading } from "@/lib/migration-ops/read-job";
import { onHost } from "@/lib/migration-ops/remote";
import { storedLaunchOptions } from "@/lib/schemas/migrations";
import { type LiveSample, type SampleUpdate, toDomain } from "@/lib/schemas/wire";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { migrateSetMaxDowntime } from "@/lib/virsh/commands";
import type { JobInfo } from "@/lib/virsh/parse-domjobinfo";

const HISTORY = 600; // samples kept in memory per migration for verdicts (10 min at 1 Hz)
const LOST_AFTER_MS = 120_000;
/** A source answering `domjobinfo` with output that is not virsh's is settled from both hosts after this. */
const UNREADABLE_SAMPLES = 10;
const UNREADABLE_MS = 10_000;

/** A tick's sample of one migration, judged and waiting for the batched write; `m` in the state the tick ended in. */
export type TakenSample = SampleUpdate & { m: MigrationWithHosts };

/**
 * What a job reading (read-job.ts) means for its migration, remembered per worker and rebuilt from
 * Postgres after a restart: the transitions it proves (running, post-copy, lost), the settling of a
 * job that ended, and for an active job the sample judged against the history. The loop reads, then
 * settles, writes a whole tick's samples at once (`recordSamples`) and then runs `escalate` for
 * each, so a policy always acts on a stored sample.
 */
export class SampleSettler {
  private history = new Map<string, MigrationSample[]>();
  private downtimeApplied = new Set<string>();
  private unreachableSince = new Map<string, number>();
  private unreadable = new Map<string, { since: number; n: number }>();

  async settle(m: MigrationWithHosts, reading: JobReading): Promise<TakenSample | null> {
    try {
      if (reading.kind === "unreachable") throw reading.error;
      this.unreachableSince.delete(m.id);
      if (reading.kind === "unreadable") {
        await this.onUnreadable(m, reading.text);
        return null;
      }
      this.unreadable.delete(m.id);
      if (reading.kind === "active") return await this.onActive(m, reading.job, reading.sample, reading.postcopy);
      await settleMigration(m);
    } catch (e) {
      await this.onError(m, e);
    }
    return null;
  }

  /** After the tick's samples are stored: the escalation policy of each running migration. */
  async escalate(t: TakenSample): Promise<void> {
    // t.m has the state the tick ended in: one that just entered post-copy is not escalated.
    if (t.m.state === "running") await escalate(t.m, t.verdict, t.sample.elapsedMs, t.sample.throttlePct);
  }

  private async onActive(
    m: MigrationWithHosts,
    job: JobInfo,
    live: LiveSample | null,
    postcopy: boolean,
  ): Promise<TakenSample | null> {
    if (m.state === "launching")
      await transition(m.id, ["launching"], "running", { startedAt: m.startedAt ?? new Date() });
    let state = m.state === "launching" ? "running" : m.state;
    const o = storedLaunchOptions(m.options);
    if (!this.downtimeApplied.has(m.id)) {
      // Max downtime is not a `virsh migrate` flag: it is set on the running job (desired state,
      // re-applied by whichever worker adopts the migration).
      await onHost(m, "source", migrateSetMaxDowntime(m.sourceHost.libvirtUri, m.vmName, o.maxDowntimeMs), {
        allowNonZero: true,
      });
      this.downtimeApplied.add(m.id);
    }
    if (postcopy) {
      await transition(
        m.id,
        ["running"],
        "postcopy",
        {},
        {
          type: "postcopy",
          message: `Switched to post-copy: the guest runs on ${m.destHost.name} and pulls the rest of its memory from ${m.sourceHost.name}.`,
          data: { processedBytes: job.dataProcessedBytes ?? null },
        },
      );
      state = "postcopy";
    }
    if (!live) return null; // libvirt is still setting the job up: nothing measured yet
    const history = await this.historyOf(m.id);
    history.push(toDomain(live));
    if (history.length > HISTORY) history.splice(0, history.length - HISTORY);
    const verdict =
      state === "postcopy"
        ? postcopyAssessment(m.destHost.name, (await latestEventAt(m.id, "postcopy")) ?? null)
        : assessConvergence(history, {
            nowMs: Date.now(),
            maxDowntimeMs: o.maxDowntimeMs,
            autoConverge: o.autoConverge.enabled,
            pausedAtMs: m.guestPaused ? await latestEventAt(m.id, "suspend-to-finish") : undefined,
          });
    return {
      m: { ...m, state },
      migrationId: m.id,
      sample: live,
      progressPct: nextProgress(m.progressPct, toDomain(live)),
      verdict,
    };
  }

  /**
   * Output that is not virsh's (a broken or hostile host) says nothing about the job. After
   * UNREADABLE_SAMPLES such answers over UNREADABLE_MS the migration is settled from what both
   * hosts say about the guest (lost, with the reason, if that does not decide it).
   */
  private async onUnreadable(m: MigrationWithHosts, text: string): Promise<void> {
    const u = this.unreadable.get(m.id) ?? { since: Date.now(), n: 0 };
    u.n++;
    this.unreadable.set(m.id, u);
    if (u.n === 1) {
      const shown = text
        .replace(/[^\x20-\x7e]+/g, " ")
        .trim()
        .slice(0, 60);
      await addEvent(db, {
        migrationId: m.id,
        source: "system",
        type: "job-unreadable",
        message: `${m.sourceHost.name} answered domjobinfo with output Convoy cannot read ("${shown}").`,
      });
    }
    const seconds = Math.round((Date.now() - u.since) / 1000);
    if (u.n < UNREADABLE_SAMPLES || Date.now() - u.since < UNREADABLE_MS) return;
    await settleMigration(m, {
      unreadable: `${m.sourceHost.name} answered domjobinfo with output Convoy cannot read ${u.n} times in ${seconds} s`,
    });
  }

  private async onError(m: MigrationWithHosts, e: unknown): Promise<void> {
    if (!(e instanceof SshError) || e.kind === "exit") throw e;
    const since = this.unreachableSince.get(m.id) ?? Date.now();
    if (!this.unreachableSince.has(m.id)) {
      this.unreachableSince.set(m.id, since);
      await addEvent(db, {
        migrationId: m.id,
        source: "system",
        type: "source-unreachable",
        message: `Cannot reach ${m.sourceHost.name}: ${describeSshError(e)}`,
      });
    }
    if (Date.now() - since > LOST_AFTER_MS) {
      const { where } = await locateGuest(m); // the destination may know; the worker keeps asking
      await transition(
        m.id,
        ["launching", "running", "postcopy"],
        "lost",
        {
          error: `Source unreachable for ${LOST_AFTER_MS / 1000} s: ${describeSshError(e)}`,
          endedAt: new Date(),
          ...whereaboutsFields(where),
        },
        {
          type: "lost",
          message: `${m.sourceHost.name} has been unreachable for ${LOST_AFTER_MS / 1000} s; the migration's fate is unknown (${where.detail}).`,
          data: { location: where.location, host: where.host },
        },
      );
      this.forget(m.id);
    }
  }

  private async historyOf(id: string): Promise<MigrationSample[]> {
    let h = this.history.get(id);
    if (!h) {
      // Adopted (or this worker restarted): rebuild the recent history from Postgres.
      h = (await listSamples(id, HISTORY)).map(toDomain);
      this.history.set(id, h);
    }
    return h;
  }

  private forget(id: string): void {
    this.history.delete(id);
    this.downtimeApplied.delete(id);
    this.unreachableSince.delete(id);
    this.unreadable.delete(id);
  }
}
