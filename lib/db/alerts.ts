import "server-only";
import { z } from "zod";
import type { AlertKind } from "@/lib/alerts/types";
import { claimRows } from "@/lib/db/claims";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ALERTING_LOCATIONS } from "@/lib/migration/whereabouts";

// The alert outbox's rows: what may need an alert (read from what the sampler stored), the
// idempotent insert of deliveries, and their claim, success and failure.

const finite = z.number().nullable().catch(null);
const text = z.string().nullable().catch(null);
// JSON columns parsed once here; anything unexpected reads as "not known", never as an error.
const verdictJson = z.object({ verdict: text, reason: text }).catch({ verdict: null, reason: null });
const predictionJson = z.object({ totalTimeMs: finite }).catch({ totalTimeMs: null });
const optionsJson = z.object({ bandwidthMiB: finite }).catch({ bandwidthMiB: null });

type CandidateRow = {
  id: string;
  vmName: string;
  state: string;
  verdict: Prisma.JsonValue;
  prediction: Prisma.JsonValue;
  options: Prisma.JsonValue;
  memoryBytes: bigint;
  startedAt: Date | null;
  createdAt: Date;
  source: string;
  destination: string;
  sourceNicBps: bigint;
  windowId: string | null;
  windowName: string | null;
  windowEndsAt: Date | null;
  alertWebhooks: Prisma.JsonValue | null;
  guestHealthReason: string | null;
};

export type AlertCandidate = Omit<CandidateRow, "verdict" | "prediction" | "options"> & {
  verdict: string | null;
  reason: string | null;
  predictedTotalMs: number | null;
  bandwidthMiB: number | null;
};

/** Unfinished migrations, and those that failed or landed unhealthy in the hour before `now`. */
export async function alertCandidates(now: Date): Promise<AlertCandidate[]> {
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const rows = await db.$queryRaw<CandidateRow[]>`
    SELECT m.id, m."vmName", m.state::text AS state, m.verdict, m.prediction, m.options, m."memoryBytes",
           m."startedAt", m."createdAt", s.name AS source, d.name AS destination, s."nicBps" AS "sourceNicBps",
           m."windowId", w.name AS "windowName", w."endsAt" AS "windowEndsAt", w."alertWebhooks", m."guestHealthReason"
    FROM "LiveMigration" m
    JOIN "Host" s ON s.id = m."sourceHostId"
    JOIN "Host" d ON d.id = m."destHostId"
    LEFT JOIN "MaintenanceWindow" w ON w.id = m."windowId"
    WHERE m.state IN ('launching', 'running', 'postcopy')
       OR (m.state IN ('failed', 'lost') AND m."endedAt" > ${hourAgo})
       OR (m.state = 'completed' AND m."guestHealth" = 'unhealthy' AND m."guestHealthAt" > ${hourAgo})`;
  return rows.map(({ verdict, prediction, options, ...m }) => ({
    ...m,
    ...verdictJson.parse(verdict),
    predictedTotalMs: predictionJson.parse(prediction).totalTimeMs,
    bandwidthMiB: optionsJson.parse(options).bandwidthMiB,
  }));
}

/** Guests nobody could place after their migration (day-old readings excluded). */
export function unplacedGuests(now: Date) {
  return db.liveMigration.findMany({
    where: {
      guestLocation: { in: [...ALERTING_LOCATIONS] },
      guestLocationSettled: false,
      endedAt: { gt: new Date(now.getTime() - 86_400_000) },
    },
    select: {
      id: true,
      vmName: true,
      state: true,
      guestLocation: true,
      guestLocationHost: true,
      guestLocationDetail: true,
      windowId: true,
      sourceHost: { select: { name: true } },
      destHost: { select: { name: true } },
      window: { select: { name: true, endsAt: true, alertWebhooks: true } },
    },
  });
}

/** Windows run by hand still running after their end (scheduled ones stop launching: see overrunWindows). */
export function lateWindows(now: Date) {
  return db.maintenanceWindow.findMany({
    where: { state: "running", endsAt: { lt: now }, armedAt: null },
    select: { id: true, name: true, endsAt: true, alertWebhooks: true },
  });
}

/** Scheduled windows whose migrations are still in flight after their end (an overrun), with those moves' guests. */
export function overrunWindows(now: Date) {
  return db.maintenanceWindow.findMany({
    where: {
      state: { in: ["running", "paused"] },
      armedAt: { not: null },
      endsAt: { lt: now },
      moves: { some: { state: "started" } },
    },
    select: {
      id: true,
      name: true,
      endsAt: true,
      alertWebhooks: true,
      moves: { where: { state: "started" }, select: { vmName: true } },
    },
  });
}

/** Inserts deliveries; a key already present is skipped (any number of workers alert once). Returns how many were new. */
export async function insertAlertDeliveries(rows: Prisma.AlertDeliveryCreateManyInput[]): Promise<number> {
  if (!rows.length) return 0;
  return (await db.alertDelivery.createMany({ data: rows, skipDuplicates: true })).count;
}

export type DueAlert = {
  id: string;
  url: string;
  format: string;
  payload: Prisma.JsonValue;
  attempts: number;
  kind: AlertKind;
};

/**
 * Claims due deliveries (SKIP LOCKED, so each is sent by one worker). The claim pushes
 * nextAttemptAt past the request timeout: a worker that dies mid-send lets the row come due again.
 */
export function claimDueAlerts(limit: number): Promise<DueAlert[]> {
  return claimRows<DueAlert>({
    table: "AlertDelivery",
    due: Prisma.sql`"deliveredAt" IS NULL AND "gaveUpAt" IS NULL AND "nextAttemptAt" <= now()`,
    lease: Prisma.sql`attempts = attempts + 1, "nextAttemptAt" = now() + interval '2 minutes'`,
    order: Prisma.sql`"nextAttemptAt"`,
    limit,
    returning: Prisma.sql`id, url, format, payload, attempts, kind::text AS kind`,
  });
}

export async function markAlertDelivered(id: string): Promise<void> {
  await db.alertDelivery.update({ where: { id }, data: { deliveredAt: new Date(), lastError: null } });
}

/** A failed attempt: retried at `retryAt`, or given up for good when null. */
export async function markAlertFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
  await db.alertDelivery.update({
    where: { id },
    data: { lastError: error, ...(retryAt ? { nextAttemptAt: retryAt } : { gaveUpAt: new Date() }) },
  });
}

export type WindowAlertRow = {
  id: string;
  kind: string;
  url: string;
  format: string;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  gaveUpAt: Date | null;
  createdAt: Date;
  summary: string;
};

const payloadSummary = z
  .object({ summary: z.string().optional().catch(undefined), text: z.string().optional().catch(undefined) })
  .catch({});

/** The alerts of a window's migrations and of the window itself, newest first (for its page). */
export async function listWindowAlerts(windowId: string, take = 50): Promise<WindowAlertRow[]> {
  const rows = await db.alertDelivery.findMany({ where: { windowId }, orderBy: { createdAt: "desc" }, take });
  return rows.map((r) => {
    const p = payloadSummary.parse(r.payload);
    const summary = p.summary ?? p.text ?? r.kind;
    return {
      id: r.id,
      kind: r.kind === "window_overrun" ? "window-overrun" : r.kind,
      url: r.url,
      format: r.format,
      attempts: r.attempts,
      lastError: r.lastError,
      deliveredAt: r.deliveredAt,
      gaveUpAt: r.gaveUpAt,
      createdAt: r.createdAt,
      summary,
    };
  });
}
