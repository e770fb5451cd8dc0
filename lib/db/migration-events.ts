import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";

// Reads of a migration's event history that the worker and the controls decide by.

/** The latest event of one of `types` (a control's outcome, to answer a repeated click with). */
export function latestEventOfTypes(migrationId: string, types: string[]) {
  return db.migrationEvent.findFirst({ where: { migrationId, type: { in: types } }, orderBy: { at: "desc" } });
}

/** When the latest event of `type` was recorded (ms), if ever. */
export async function latestEventAt(migrationId: string, type: string): Promise<number | undefined> {
  const e = await db.migrationEvent.findFirst({
    where: { migrationId, type },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return e?.at.getTime();
}

/** When the escalation policy last acted on this migration, if it did. */
export async function lastPolicyStepAt(migrationId: string): Promise<Date | null> {
  const e = await db.migrationEvent.findFirst({
    where: { migrationId, source: "policy" },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  return e?.at ?? null;
}

/** How many events of these types the migration has (e.g. whether anyone asked for an abort). */
export function countEvents(migrationId: string, types: string[]): Promise<number> {
  return db.migrationEvent.count({ where: { migrationId, type: { in: types } } });
}

const postcopyEventData = z
  .object({ processedBytes: z.number().optional().catch(undefined) })
  .nullable()
  .catch(null);

/** Bytes already sent when the source entered post-copy (the system's event, not the operator's request). */
export async function bytesAtPostcopySwitch(migrationId: string): Promise<number | undefined> {
  const e = await db.migrationEvent.findFirst({
    where: { migrationId, type: "postcopy", source: "system" },
    select: { data: true },
  });
  return postcopyEventData.parse(e?.data ?? null)?.processedBytes;
}

/** The pid of the `virsh event` watcher the launch recorded on its "launched" event, if any. */
export async function eventWatcherPid(migrationId: string): Promise<number | undefined> {
  const launched = await db.migrationEvent.findFirst({
    where: { migrationId, type: "launched" },
    select: { data: true },
  });
  const pid = (launched?.data as { eventWatcherPid?: number } | null)?.eventWatcherPid;
  return typeof pid === "number" ? pid : undefined;
}
