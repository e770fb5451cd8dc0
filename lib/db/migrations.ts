import "server-only";
import { metrics } from "@/lib/metrics/convoy";
import { likeLiteral } from "@/lib/db/like";
import { claimIds } from "@/lib/db/claims";
import { db, type Tx } from "@/lib/db/client";
import { SSH_TARGET_FIELDS } from "@/lib/db/hosts";
import { type MigrationState, Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_STATES as ACTIVE } from "@/lib/migration/state-machine";
import { CHANNEL } from "@/lib/realtime/channels";
import { type LiveSample, type SampleUpdate, storedJson } from "@/lib/schemas/wire";
import { liveUpdatePayload, publish } from "@/lib/db/notify";

/** The state machine's active states, as the mutable array Prisma's `in` takes. */
export const ACTIVE_STATES: MigrationState[] = [...ACTIVE];
const LEASE_MS = 5_000;

// The hosts' SSH fields let remote.ts reuse a cached target without reading the host rows again.
const WITH_HOSTS = {
  sourceHost: { select: { ...SSH_TARGET_FIELDS, libvirtUri: true, nicBps: true } },
  destHost: { select: { ...SSH_TARGET_FIELDS, libvirtUri: true, migrationUriTemplate: true, nicBps: true } },
} as const;

export function getMigration(id: string) {
  return db.liveMigration.findUnique({ where: { id }, include: WITH_HOSTS });
}
export type MigrationWithHosts = NonNullable<Awaited<ReturnType<typeof getMigration>>>;

/** Several migrations with their hosts in one query (the worker's sampling tick). */
export function getMigrations(ids: string[]): Promise<MigrationWithHosts[]> {
  return db.liveMigration.findMany({ where: { id: { in: ids } }, include: WITH_HOSTS, orderBy: { createdAt: "asc" } });
}

export function getActiveMigrationForVm(vmUuid: string) {
  return db.liveMigration.findFirst({ where: { vmUuid, state: { in: ACTIVE_STATES } } });
}

/** Claims queued migrations for launching; SKIP LOCKED lets several workers share the queue. */
export async function claimQueued(workerId: string, limit: number): Promise<string[]> {
  return claimIds({
    table: "LiveMigration",
    due: Prisma.sql`state = 'queued'`,
    lease: Prisma.sql`state = 'launching', "ownerId" = ${workerId}, "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000})`,
    order: Prisma.sql`"createdAt"`,
    limit,
  });
}

/**
 * Takes (or renews) the lease of every in-flight migration this worker samples, plus those whose
 * owner stopped renewing — that is how a restarted or dead worker's migrations are re-adopted.
 */
export async function claimForSampling(workerId: string, limit: number): Promise<string[]> {
  return claimIds({
    table: "LiveMigration",
    due: Prisma.sql`state IN ('launching', 'running', 'postcopy') AND ("ownerId" = ${workerId} OR "leaseUntil" IS NULL OR "leaseUntil" < now())`,
    lease: Prisma.sql`"ownerId" = ${workerId}, "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000})`,
    order: Prisma.sql`"createdAt"`,
    limit,
  });
}

/**
 * Stores one sampling tick of every migration a worker holds in one transaction: one multi-row
 * INSERT, one UPDATE of the rows' progress and verdict, one statement sending the NOTIFYs (only
 * delivered if it commits, so browsers never see a sample the database does not have). The samples
 * go in as they are on the wire; byte counts are rounded on the way into their bigint columns.
 */
export async function recordSamples(writes: SampleUpdate[]): Promise<void> {
  if (writes.length === 0) return;
  const rows = JSON.stringify(writes.map(({ migrationId, sample }) => ({ migrationId, ...sample })));
  const progress = JSON.stringify(
    writes.map((w) => ({ id: w.migrationId, progressPct: w.progressPct, verdict: w.verdict, at: w.sample.at })),
  );
  // Each update is notified as stored (its fields named: a caller's object may carry more).
  const notes = JSON.stringify(
    writes
      .map(({ migrationId, sample, progressPct, verdict }) =>
        liveUpdatePayload({ kind: "sample", migrationId, sample, progressPct, verdict }),
      )
      .filter((p) => p !== null),
  );
  await db.$transaction([
    db.$executeRaw`
      INSERT INTO "MigrationSample" ("migrationId", at, "elapsedMs", "processedBytes", "remainingBytes", "totalBytes",
        "dirtyRateBps", "transferRateBps", iteration, "throttlePct", "expectedDowntimeMs", "postcopyRequests")
      SELECT "migrationId", at, "elapsedMs", round("processedBytes")::bigint, round("remainingBytes")::bigint,
        round("totalBytes")::bigint, "dirtyRateBps", "transferRateBps", iteration, "throttlePct", "expectedDowntimeMs",
        "postcopyRequests"
      FROM jsonb_to_recordset(${rows}::jsonb) AS x("migrationId" text, at timestamp(3), "elapsedMs" int,
        "processedBytes" numeric, "remainingBytes" numeric, "totalBytes" numeric, "dirtyRateBps" float8,
        "transferRateBps" float8, iteration int, "throttlePct" int, "expectedDowntimeMs" int, "postcopyRequests" int)`,
    db.$executeRaw`
      UPDATE "LiveMigration" m SET "progressPct" = x."progressPct", verdict = x.verdict, "lastSampleAt" = x.at
      FROM jsonb_to_recordset(${progress}::jsonb) AS x(id text, "progressPct" float8, verdict jsonb, at timestamp(3))
      WHERE m.id = x.id`,
    db.$executeRaw`SELECT pg_notify(${CHANNEL.migration}, p) FROM jsonb_array_elements_text(${notes}::jsonb) AS p`,
  ]);
  const m = metrics();
  m.samples.inc(undefined, writes.length);
  const now = Date.now();
  for (const w of writes) m.sampleLag.observe(undefined, (now - Date.parse(w.sample.at)) / 1000);
}

export async function addEvent(
  client: Tx | typeof db,
  e: {
    migrationId: string;
    source: "operator" | "system" | "policy";
    type: string;
    message: string;
    actorId?: string | null;
    data?: Prisma.InputJsonValue;
    idempotencyKey?: string;
  },
) {
  const row = await client.migrationEvent.create({ data: e });
  await publish(client, {
    kind: "event",
    migrationId: e.migrationId,
    event: {
      id: row.id.toString(),
      at: row.at.toISOString(),
      source: row.source,
      type: row.type,
      message: row.message,
      data: storedJson.parse(row.data),
    },
  });
  return row;
}

/**
 * Moves a migration to a new state only from the states given (a no-op when someone else won).
 * `also` runs in the same transaction once the state changed (e.g. the relaunch that a cancel
 * caused), so nobody ever sees one without the other.
 */
export async function transition(
  migrationId: string,
  from: MigrationState[],
  to: MigrationState,
  data: Prisma.LiveMigrationUpdateManyMutationInput = {},
  event?: { type: string; message: string; data?: Prisma.InputJsonValue },
  also?: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const n = await tx.liveMigration.updateMany({
      where: { id: migrationId, state: { in: from } },
      data: { ...data, state: to },
    });
    if (n.count === 0) return false;
    if (!ACTIVE_STATES.includes(to)) {
      await tx.reservation.deleteMany({ where: { migrationId } });
      await tx.liveMigration.update({ where: { id: migrationId }, data: { ownerId: null, leaseUntil: null } });
    }
    if (event) await addEvent(tx, { migrationId, source: "system", ...event });
    await publish(tx, {
      kind: "state",
      migrationId,
      state: to,
      error: typeof data.error === "string" ? data.error : null,
    });
    await also?.(tx);
    return true;
  });
}

export function listActiveMigrations() {
  return db.liveMigration.findMany({
    where: { state: { in: ACTIVE_STATES } },
    orderBy: { createdAt: "asc" },
    include: { sourceHost: { select: { name: true } }, destHost: { select: { name: true } } },
  });
}

export type HistoryFilter = {
  host?: string;
  vm?: string;
  outcome?: MigrationState;
  from?: Date;
  to?: Date;
  take?: number;
};

export function listMigrationHistory(f: HistoryFilter) {
  return db.liveMigration.findMany({
    where: {
      state: f.outcome,
      vmName: f.vm ? { contains: likeLiteral(f.vm), mode: "insensitive" } : undefined,
      OR: f.host ? [{ sourceHost: { name: f.host } }, { destHost: { name: f.host } }] : undefined,
      createdAt: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
    },
    orderBy: { createdAt: "desc" },
    take: f.take ?? 200,
    include: { sourceHost: { select: { name: true } }, destHost: { select: { name: true } } },
  });
}

/** A migration's samples as wire samples, oldest first; `latest` keeps only the newest N. */
export async function listSamples(migrationId: string, latest?: number): Promise<LiveSample[]> {
  const rows = await db.migrationSample.findMany({
    where: { migrationId },
    orderBy: { at: latest ? "desc" : "asc" },
    take: latest,
  });
  if (latest) rows.reverse();
  return rows.map((s) => ({
    at: s.at.toISOString(),
    elapsedMs: s.elapsedMs,
    processedBytes: Number(s.processedBytes),
    remainingBytes: Number(s.remainingBytes),
    totalBytes: Number(s.totalBytes),
    dirtyRateBps: s.dirtyRateBps,
    transferRateBps: s.transferRateBps,
    iteration: s.iteration,
    throttlePct: s.throttlePct,
    expectedDowntimeMs: s.expectedDowntimeMs,
    postcopyRequests: s.postcopyRequests,
  }));
}

export function listEvents(migrationId: string) {
  return db.migrationEvent.findMany({ where: { migrationId }, orderBy: { at: "asc" } });
}

/** Memory and vCPUs held on a host by migrations heading there (destination reservations). */
export async function reservedOn(hostId: string): Promise<{ memoryBytes: number; vcpus: number }> {
  const r = await db.reservation.aggregate({ where: { hostId }, _sum: { memoryBytes: true, vcpus: true } });
  return { memoryBytes: Number(r._sum.memoryBytes ?? 0), vcpus: r._sum.vcpus ?? 0 };
}
