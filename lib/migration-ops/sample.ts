import "server-only";
import { db } from "@/lib/db/client";
import { addEvent, listSamples, type MigrationWithHosts, type SampleWrite, transition } from "@/lib/db/migrations";
import { nextProgress } from "@/lib/migration/progress";
import { assessConvergence, type ConvergenceAssessment } from "@/lib/migration/stall";
import type { MigrationSample } from "@/lib/migration/types";
import { escalate } from "@/lib/migration-ops/escalate";
import { settleMigration } from "@/lib/migration-ops/finish";
import { onHost } from "@/lib/migration-ops/remote";
import type { LiveSample } from "@/lib/realtime/channels";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { domJobInfo, domState, migrateSetMaxDowntime } from "@/lib/virsh/commands";
import { parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import { sampleFromJob } from "@/lib/migration-ops/read-job";

const HISTORY = 600; // samples kept in memory per migration for verdicts (10 min at 1 Hz)
const LOST_AFTER_MS = 120_000;

/** A sample taken and judged, waiting for the tick's batched write (then its escalation policy). */
export type TakenSample = Omit<SampleWrite, "verdict"> & { m: MigrationWithHosts; verdict: ConvergenceAssessment };

/**
 * Per-worker memory of the migrations it samples; rebuilt from Postgres after a restart. `sample`
 * reads the job and judges it; the loop writes a whole tick's samples at once (`recordSamples`)
 * and then runs `escalate` for each, so a policy always acts on a stored sample.
 */
export class MigrationSampler {
  private history = new Map<string, MigrationSample[]>();
  private downtimeApplied = new Set<string>();
  private unreachableSince = new Map<string, number>();

  async sample(m: MigrationWithHosts): Promise<TakenSample | null> {
    if (!["launching", "running", "postcopy"].includes(m.state)) {
      this.forget(m.id);
      return null;
    }
    try {
      const r = await onHost(m, "source", domJobInfo(m.sourceHost.libvirtUri, m.vmName), { allowNonZero: true, timeoutMs: 10_000 });
      const job = r.exitCode === 0 ? parseDomJobInfo(r.stdout) : null;
      this.unreachableSince.delete(m.id);
      if (job?.active) return await this.takeActive(m, job);
      await settleMigration(m);
    } catch (e) {
      await this.onError(m, e);
    }
    return null;
  }

  /** After the tick's samples are stored: the escalation policy of each running migration. */
  async escalate(t: TakenSample): Promise<void> {
    if (t.m.state === "running") await escalate(t.m, t.verdict, t.sample.elapsedMs, t.sample.throttlePct);
  }

  private async takeActive(m: MigrationWithHosts, job: ReturnType<typeof parseDomJobInfo>): Promise<TakenSample | null> {
    if (m.state === "launching") await transition(m.id, ["launching"], "running", { startedAt: m.startedAt ?? new Date() });
    const o = m.options as unknown as LaunchOptions;
    if (!this.downtimeApplied.has(m.id)) {
      // Max downtime is not a `virsh migrate` flag: it is set on the running job (desired state,
      // re-applied by whichever worker adopts the migration).
      await onHost(m, "source", migrateSetMaxDowntime(m.sourceHost.libvirtUri, m.vmName, o.maxDowntimeMs), { allowNonZero: true });
      this.downtimeApplied.add(m.id);
    }
    if (o.postcopy && m.state !== "postcopy") {
      const s = await onHost(m, "source", domState(m.sourceHost.libvirtUri, m.vmName), { allowNonZero: true });
      if (s.exitCode === 0 && parseDomState(s.stdout).reason === "post-copy") {
        await transition(m.id, ["running"], "postcopy", {}, { type: "postcopy", message: "Switched to post-copy: the VM now runs on the destination." });
      }
    }
    const live = sampleFromJob(job, new Date());
    if (!live) return null; // libvirt is still setting the job up: nothing measured yet
    const history = await this.historyOf(m.id);
    history.push(toDomain(live));
    if (history.length > HISTORY) history.splice(0, history.length - HISTORY);
    const verdict = assessConvergence(history, {
      nowMs: Date.now(),
      maxDowntimeMs: o.maxDowntimeMs,
      autoConverge: o.autoConverge.enabled,
      pausedAtMs: m.guestPaused ? await pausedAt(m.id) : undefined,
    });
    return { m, migrationId: m.id, sample: live, progressPct: nextProgress(m.progressPct, toDomain(live)), verdict };
  }

  private async onError(m: MigrationWithHosts, e: unknown): Promise<void> {
    if (!(e instanceof SshError) || e.kind === "exit") throw e;
    const since = this.unreachableSince.get(m.id) ?? Date.now();
    if (!this.unreachableSince.has(m.id)) {
      this.unreachableSince.set(m.id, since);
      await addEvent(db, { migrationId: m.id, source: "system", type: "source-unreachable", message: `Cannot reach ${m.sourceHost.name}: ${describeSshError(e)}` });
    }
    if (Date.now() - since > LOST_AFTER_MS) {
      await transition(m.id, ["launching", "running", "postcopy"], "lost", { error: `Source unreachable for ${LOST_AFTER_MS / 1000} s: ${describeSshError(e)}`, endedAt: new Date() }, {
        type: "lost",
        message: `${m.sourceHost.name} has been unreachable for ${LOST_AFTER_MS / 1000} s; the migration's fate is unknown. Check the destination.`,
      });
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

  forget(id: string): void {
    this.history.delete(id);
    this.downtimeApplied.delete(id);
    this.unreachableSince.delete(id);
  }
}

async function pausedAt(migrationId: string): Promise<number | undefined> {
  const e = await db.migrationEvent.findFirst({ where: { migrationId, type: "suspend" }, orderBy: { at: "desc" }, select: { at: true } });
  return e?.at.getTime();
}

function toDomain(s: LiveSample): MigrationSample {
  const { at, ...rest } = s;
  return { atMs: Date.parse(at), ...rest };
}
