import "server-only";
import { cachedSshTarget } from "@/lib/db/hosts";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { AppError } from "@/lib/errors";
import { type ExecOptions, getSshPool } from "@/lib/ssh/pool";

/** Runs argv on the migration's source (or destination) host over the pooled connection. */
export async function onHost(m: MigrationWithHosts, side: "source" | "dest", argv: string[], opts: ExecOptions = {}) {
  return getSshPool().exec(await targetOf(m, side), argv, opts);
}

/** Same, for a line already quoted by lib/virsh (the detached launch, `cat`, `kill -0`). */
export async function rawOnHost(m: MigrationWithHosts, side: "source" | "dest", line: string, opts: ExecOptions = {}) {
  return getSshPool().execRaw(await targetOf(m, side), line, opts);
}

async function targetOf(m: MigrationWithHosts, side: "source" | "dest") {
  const host = side === "source" ? m.sourceHost : m.destHost;
  const target = await cachedSshTarget(host);
  if (!target) throw new AppError("CONFLICT", `${host.name} has no confirmed host key.`);
  return target;
}

/** Where the detached `virsh migrate` writes its output on the source (derived from the id). */
export const logPathFor = (migrationId: string) => `/tmp/convoy-migration-${migrationId}.log`;

/** Where the detached `virsh event` watching for the job's job-completed event writes (launch.ts). */
export const eventLogPathFor = (migrationId: string) => `/tmp/convoy-migration-${migrationId}.events`;
