import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { LaunchOptions } from "@/lib/schemas/migrations";

// Single-column writes the controls and the escalation make to a running migration.

/** Stores the migration's launch options as changed by a control (what the page shows as set). */
export async function saveOptions(migrationId: string, options: LaunchOptions): Promise<void> {
  await db.liveMigration.update({ where: { id: migrationId }, data: { options: options as Prisma.InputJsonValue } });
}

/** Flags the migration for a relaunch with auto-converge once its abort lands (lib/migration-ops/relaunch.ts). */
export async function requestRestart(
  migrationId: string,
  request: { initial: number; increment: number },
): Promise<void> {
  await db.liveMigration.update({ where: { id: migrationId }, data: { restartRequested: request } });
}

export async function markGuestPaused(migrationId: string): Promise<void> {
  await db.liveMigration.update({ where: { id: migrationId }, data: { guestPaused: true } });
}

/**
 * Claims one escalation step: appended to escalationsDone only if absent, so with several workers
 * (or a restarted one) each step fires once. True when this caller got it.
 */
export async function claimEscalationStep(migrationId: string, step: string): Promise<boolean> {
  const claimed = await db.$executeRaw`
    UPDATE "LiveMigration" SET "escalationsDone" = "escalationsDone" || to_jsonb(${step}::text)
    WHERE id = ${migrationId} AND NOT ("escalationsDone" ? ${step})`;
  return claimed === 1;
}

/** The migration row inside a transaction, and whether a relaunch of it exists already. */
export async function migrationAndRelaunch(tx: Tx, migrationId: string) {
  const row = await tx.liveMigration.findUnique({ where: { id: migrationId } });
  const relaunched = row
    ? !!(await tx.liveMigration.findFirst({ where: { restartOfId: row.id }, select: { id: true } }))
    : false;
  return { row, relaunched };
}
