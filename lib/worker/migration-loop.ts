import "server-only";
import { claimForSampling, claimQueued, getMigrations, recordSamples } from "@/lib/db/migrations";
import { log } from "@/lib/log";
import { launchMigration } from "@/lib/migration-ops/launch";
import { MigrationSampler, type TakenSample } from "@/lib/migration-ops/sample";

/**
 * One tick: launch what is queued, then sample everything this worker holds — one query for the
 * rows, the SSH reads in parallel (one pooled connection per host), one transaction for the samples.
 */
export class MigrationLoop {
  private sampler = new MigrationSampler();
  private launching = new Set<string>();

  constructor(private readonly workerId: string) {}

  async tick(): Promise<void> {
    for (const id of await claimQueued(this.workerId, 8)) {
      this.launching.add(id);
      void launchMigration(id)
        .catch((e) => log.error("launch crashed", { migrationId: id, error: e }))
        .finally(() => this.launching.delete(id));
    }
    const owned = (await claimForSampling(this.workerId, 1_000)).filter((id) => !this.launching.has(id)); // launches still in progress here
    if (owned.length === 0) return;
    const taken = await Promise.all(
      (await getMigrations(owned)).map((m) =>
        this.sampler.sample(m).catch((e) => {
          log.error("sampling failed", { migrationId: m.id, error: e });
          return null;
        }),
      ),
    );
    const samples = taken.filter((t): t is TakenSample => t !== null);
    await recordSamples(samples);
    await Promise.all(samples.map((t) => this.sampler.escalate(t).catch((e) => log.error("escalation failed", { migrationId: t.m.id, error: e }))));
  }
}
