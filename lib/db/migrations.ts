import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { MigrationState, Prisma } from "@/lib/generated/prisma/client";
import type { LiveSample } from "@/lib/realtime/channels";
import { publish } from "@/lib/realtime/publish";

export const ACTIVE_STATES: MigrationState[] = ["queued", "launching", "running", "postcopy"];
const LEASE_MS = 5_000;

export function getMigration(id: string) {
  return db.liveMigration.findUnique({
    where: { id },
    include: {
      sourceHost: { select: { id: true, name: true, libvirtUri: true, address: true, nicBps: true } },
      destHost: { select: { id: true, name: true, libvirtUri: true, address: true, migrationUriTemplate: true, nicBps: true } },
    },
  });
}
export type MigrationWithHosts = NonNullable<Awaited<ReturnType<typeof getMigration>>>;

export function getActiveMigrationForVm(vmUuid: string) {
  return db.liveMigration.findFirst({ where: { vmUuid, state: { in: ACTIVE_STATES } } });
}

/** Claims queued migrations for launching; SKIP LOCKED lets several workers share the queue. */
export async function claimQueued(workerId: string, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "LiveMigration" SET state = 'launching', "ownerId" = ${workerId},
      "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000})
    WHERE id IN (
      SELECT id FROM "LiveMigration" WHERE state = 'queued'
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * Takes (or renews) the lease of every in-flight migration this worker samples, plus those whose
 * owner stopped renewing — that is how a restarted or dead worker's migrations are re-adopted.
 */
export async function claimForSampling(workerId: string, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "LiveMigration" SET "ownerId" = ${workerId},
      "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000})
    WHERE id IN (
      SELECT id FROM "LiveMigration"
      WHERE state IN ('launching', 'running', 'postcopy')
        AND ("ownerId" = ${workerId} OR "leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "createdAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  return rows.map((r) => r.id);
}

export async function recordSample(migrationId: string, s: LiveSample, progressPct: number, verdict: Prisma.InputJsonValue): Promise<void> {
  await db.$transaction([
    db.migrationSample.create({
      data: {
        migrationId,
        at: new Date(s.at),
        elapsedMs: s.elapsedMs,
        processedBytes: BigInt(Math.round(s.processedBytes)),
        remainingBytes: BigInt(Math.round(s.remainingBytes)),
        totalBytes: BigInt(Math.round(s.totalBytes)),
        dirtyRateBps: s.dirtyRateBps,
        transferRateBps: s.transferRateBps,
        iteration: s.iteration,
        throttlePct: s.throttlePct,
        expectedDowntimeMs: s.expectedDowntimeMs,
        postcopyRequests: s.postcopyRequests,
      },
    }),
    db.liveMigration.update({ where: { id: migrationId }, data: { progressPct, verdict, lastSampleAt: new Date(s.at) } }),
    db.$executeRaw`SELECT pg_notify('convoy_migration', ${JSON.stringify({ kind: "sample", migrationId, sample: s, progressPct, verdict })})`,
  ]);
}

export async function addEvent(
  client: Tx | typeof db,
  e: { migrationId: string; source: "operator" | "system" | "policy"; type: string; message: string; actorId?: string | null; data?: Prisma.InputJsonValue; idempotencyKey?: string },
) {
  const row = await client.migrationEvent.create({ data: e });
  await publish(client, {
    kind: "event",
    migrationId: e.migrationId,
    event: { id: row.id.toString(), at: row.at.toISOString(), source: row.source, type: row.type, message: row.message, data: row.data ?? null },
  });
  return row;
}

/** Moves a migration to a new state only from the states given (a no-op when someone else won). */
export async function transition(
  migrationId: string,
  from: MigrationState[],
  to: MigrationState,
  data: Prisma.LiveMigrationUpdateManyMutationInput = {},
  event?: { type: string; message: string; data?: Prisma.InputJsonValue },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const n = await tx.liveMigration.updateMany({ where: { id: migrationId, state: { in: from } }, data: { ...data, state: to } });
    if (n.count === 0) return false;
    if (!ACTIVE_STATES.includes(to)) {
      await tx.reservation.deleteMany({ where: { migrationId } });
      await tx.liveMigration.update({ where: { id: migrationId }, data: { ownerId: null, leaseUntil: null } });
    }
    if (event) await addEvent(tx, { migrationId, source: "system", ...event });
    await publish(tx, { kind: "state", migrationId, state: to, error: typeof data.error === "string" ? data.error : null });
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

export type HistoryFilter = { host?: string; vm?: string; outcome?: MigrationState; from?: Date; to?: Date; take?: number };

export function listMigrationHistory(f: HistoryFilter) {
  return db.liveMigration.findMany({
    where: {
      state: f.outcome,
      vmName: f.vm ? { contains: f.vm, mode: "insensitive" } : undefined,
      OR: f.host ? [{ sourceHost: { name: f.host } }, { destHost: { name: f.host } }] : undefined,
      createdAt: f.from || f.to ? { gte: f.from, lte: f.to } : undefined,
    },
    orderBy: { createdAt: "desc" },
    take: f.take ?? 200,
    include: { sourceHost: { select: { name: true } }, destHost: { select: { name: true } } },
  });
}

/** A migration's samples as chart/wire samples, oldest first; `latest` keeps only the newest N. */
export async function listSamples(migrationId: string, latest?: number): Promise<LiveSample[]> {
  const rows = await db.migrationSample.findMany({ where: { migrationId }, orderBy: { at: latest ? "desc" : "asc" }, take: latest });
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
