import "server-only";
import { claimForSampling, claimQueued } from "@/lib/db/migrations";
import { log } from "@/lib/log";
import { launchMigration } from "@/lib/migration-ops/launch";
import { MigrationSampler } from "@/lib/migration-ops/sample";

/** One tick: launch what is queued, then sample everything this worker holds (in parallel). */
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
    const owned = await claimForSampling(this.workerId, 1_000);
    await Promise.all(
      owned
        .filter((id) => !this.launching.has(id)) // its launch is still in progress here
        .map((id) => this.sampler.sample(id).catch((e) => log.error("sampling failed", { migrationId: id, error: e }))),
    );
  }
}
