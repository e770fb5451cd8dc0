import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

// The one way work is claimed (docs/decisions/002): the job is the domain row itself (a host due
// for a read, a queued or running migration, a drain move, an alert delivery, a pending host key,
// a guest still to be located). A claim is one statement — pick due rows with FOR UPDATE SKIP
// LOCKED, stamp a lease on them, return them — so any number of workers share the work and a
// dead worker's rows come due again when their lease lapses. Renewing is claiming again with
// "held by me" among the due conditions (claimForSampling); releasing is stamping the row due
// again (finishHostRead); a retry with backoff is a release to a later due time (an alert's
// nextAttemptAt, by lib/alerts/rules.ts retryDelayMs). Work that is DB-only and ends with its
// transaction (the drain's steps) locks rows for that transaction instead of leasing them.

type Table = "Host" | "LiveMigration" | "EvacuationMove" | "AlertDelivery" | "MaintenanceWindow";

export type ClaimSpec = {
  table: Table;
  /** Which rows are due and not held by anyone else (a WHERE condition). */
  due: Prisma.Sql;
  /** What the claim stamps on them: the lease, and the owner where rows have one (a SET list). */
  lease: Prisma.Sql;
  /** Which due rows go first. */
  order: Prisma.Sql;
  limit: number;
  /** Columns to return (default: id). */
  returning?: Prisma.Sql;
};

/** Claims up to `limit` due rows for a lease; returns them (other workers skip locked rows, never wait). */
export function claimRows<R = { id: string }>(spec: ClaimSpec, client: Tx | typeof db = db): Promise<R[]> {
  const table = Prisma.raw(`"${spec.table}"`);
  return client.$queryRaw<R[]>`
    UPDATE ${table} SET ${spec.lease}
    WHERE id IN (SELECT id FROM ${table} WHERE ${spec.due} ORDER BY ${spec.order} LIMIT ${spec.limit} FOR UPDATE SKIP LOCKED)
    RETURNING ${spec.returning ?? Prisma.sql`id`}`;
}

/** `claimRows` returning ids only. */
export async function claimIds(spec: Omit<ClaimSpec, "returning">, client: Tx | typeof db = db): Promise<string[]> {
  return (await claimRows(spec, client)).map((r) => r.id);
}

/**
 * Locks due rows for the caller's transaction only (no lease: the work is DB-only and ends with
 * the transaction, like the drain's steps). Rows another transaction holds are skipped.
 */
export function lockDueRows<R>(tx: Tx, select: Prisma.Sql, of: "" | `OF ${string}` = ""): Promise<R[]> {
  return tx.$queryRaw<R[]>`${select} FOR UPDATE ${Prisma.raw(of)} SKIP LOCKED`;
}
