import "server-only";
// The alert outbox. `evaluateAlerts` (every worker, every few seconds) finds migrations that are
// stalled, failed or overdue and windows past their end, and inserts one AlertDelivery per
// (event, webhook) — the unique key makes that idempotent across workers and restarts.
// `deliverAlerts` claims due rows with SKIP LOCKED and POSTs them, retrying with backoff.
// Evaluation reads what the sampler already stored (state, verdict), so the 1 Hz path pays nothing.
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/convoy";
import { ALERTING_LOCATIONS, whereaboutsText } from "@/lib/migration/whereabouts";
import { parseJsonLimited } from "@/lib/parse/safe-parse";
import { safeOrigin } from "@/lib/net/outbound-address";
import { alertKey } from "./key";
import { postJson } from "./post";
import {
  type AlertEvent,
  type AlertKind,
  alertPayload,
  MAX_ATTEMPTS,
  overdueAfterMs,
  retryDelayMs,
  type WebhookTarget,
  storedWebhookTargets,
  webhookTargets,
} from "./rules";

/** Webhooks for every migration, from CONVOY_ALERT_WEBHOOKS (validated; a bad value is logged once and ignored). */
let globalTargets: WebhookTarget[] | undefined;
export function globalWebhooks(): WebhookTarget[] {
  if (globalTargets) return globalTargets;
  let parsed: unknown = [];
  try {
    parsed = parseJsonLimited(env().CONVOY_ALERT_WEBHOOKS, "CONVOY_ALERT_WEBHOOKS");
  } catch {
    parsed = null;
  }
  const r = webhookTargets.safeParse(parsed);
  if (!r.success) log.error("CONVOY_ALERT_WEBHOOKS is not valid: no global alerts", { issue: r.error.issues[0]?.message });
  globalTargets = r.success ? r.data : [];
  return globalTargets;
}

type Candidate = {
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

function windowTargets(raw: Prisma.JsonValue | null): WebhookTarget[] {
  const r = storedWebhookTargets.safeParse(raw ?? []);
  return r.success ? r.data : [];
}

function num(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

function verdictOf(v: Prisma.JsonValue): { verdict: string | null; reason: string | null } {
  const o = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return { verdict: typeof o.verdict === "string" ? o.verdict : null, reason: typeof o.reason === "string" ? o.reason : null };
}

export type EvaluateOptions = { now?: Date; overdueFloorMs?: number; publicUrl?: string; targets?: WebhookTarget[] };

/** Inserts the deliveries for every alert condition true now; returns how many rows were new. */
export async function evaluateAlerts(o: EvaluateOptions = {}): Promise<number> {
  const now = o.now ?? new Date();
  const floorMs = o.overdueFloorMs ?? env().CONVOY_ALERT_OVERDUE_MIN_MS;
  const base = (o.publicUrl ?? env().CONVOY_PUBLIC_URL).replace(/\/$/, "");
  const everywhere = o.targets ?? globalWebhooks();

  // One query: unfinished migrations, and those that failed in the last hour (older failures are
  // history, not news — e.g. when alerts are configured for the first time).
  const rows = await db.$queryRaw<Candidate[]>`
    SELECT m.id, m."vmName", m.state::text AS state, m.verdict, m.prediction, m.options, m."memoryBytes",
           m."startedAt", m."createdAt", s.name AS source, d.name AS destination, s."nicBps" AS "sourceNicBps",
           m."windowId", w.name AS "windowName", w."endsAt" AS "windowEndsAt", w."alertWebhooks", m."guestHealthReason"
    FROM "LiveMigration" m
    JOIN "Host" s ON s.id = m."sourceHostId"
    JOIN "Host" d ON d.id = m."destHostId"
    LEFT JOIN "MaintenanceWindow" w ON w.id = m."windowId"
    WHERE m.state IN ('launching', 'running', 'postcopy')
       OR (m.state IN ('failed', 'lost') AND m."endedAt" > ${new Date(now.getTime() - 3_600_000)})
       OR (m.state = 'completed' AND m."guestHealth" = 'unhealthy' AND m."guestHealthAt" > ${new Date(now.getTime() - 3_600_000)})`;

  const rowsToInsert: Prisma.AlertDeliveryCreateManyInput[] = [];
  const add = (kind: AlertKind, subject: string, e: AlertEvent, targets: WebhookTarget[]) => {
    for (const t of targets) {
      if (!t.events.includes(kind)) continue;
      rowsToInsert.push({ key: alertKey(kind, subject, t), kind: dbKind(kind), migrationId: e.migration?.id ?? null, windowId: e.window?.id ?? null, url: t.url, format: t.format, payload: alertPayload(t.format, e) as Prisma.InputJsonValue });
    }
  };

  for (const m of rows) {
    const { verdict, reason } = verdictOf(m.verdict);
    const kind: AlertKind | null = m.state === "completed"
      ? "unhealthy"
      : ["failed", "lost"].includes(m.state)
        ? "failed"
        : verdict === "stalled" || verdict === "wont-converge"
          ? "stalled"
          : isOverdue(m, now, floorMs)
            ? "overdue"
            : null;
    if (!kind) continue;
    const route = `${m.source} → ${m.destination}`;
    const summary =
      kind === "unhealthy"
        ? `${m.vmName} (${route}) landed, unhealthy: ${m.guestHealthReason ?? "its guest failed the health check"}`
        : kind === "failed"
          ? `${m.vmName} (${route}) ${m.state === "lost" ? "was lost track of" : "failed"}${reason ? `: ${reason}` : ""}`
          : kind === "stalled"
            ? `${m.vmName} (${route}) is not converging: ${reason ?? verdict}`
            : `${m.vmName} (${route}) has been running for ${Math.round((now.getTime() - (m.startedAt ?? m.createdAt).getTime()) / 60_000)} min, longer than expected`;
    const e: AlertEvent = {
      kind,
      at: now.toISOString(),
      url: `${base}/migrations/${m.id}`,
      summary,
      migration: { id: m.id, vm: m.vmName, source: m.source, destination: m.destination, state: m.state, verdict, reason },
      window: m.windowId && m.windowName && m.windowEndsAt ? { id: m.windowId, name: m.windowName, endsAt: m.windowEndsAt.toISOString() } : undefined,
    };
    add(kind, m.id, e, [...everywhere, ...windowTargets(m.alertWebhooks)]);
  }

  // Guests nobody can place (a host that cannot be asked, two running copies, none): the worker
  // keeps asking (lib/migration-ops/recheck-whereabouts.ts); this alerts once per migration, as a
  // critical ("failed") event of its own subject.
  const unplaced = await db.liveMigration.findMany({
    where: { guestLocation: { in: [...ALERTING_LOCATIONS] }, guestLocationSettled: false, endedAt: { gt: new Date(now.getTime() - 86_400_000) } },
    select: {
      id: true, vmName: true, state: true, guestLocation: true, guestLocationHost: true, guestLocationDetail: true, windowId: true,
      sourceHost: { select: { name: true } }, destHost: { select: { name: true } }, window: { select: { name: true, endsAt: true, alertWebhooks: true } },
    },
  });
  for (const m of unplaced) {
    const where = whereaboutsText({ location: m.guestLocation, host: m.guestLocationHost });
    const e: AlertEvent = {
      kind: "failed",
      at: now.toISOString(),
      url: `${base}/migrations/${m.id}`,
      summary: `Where is ${m.vmName}? After its migration (${m.sourceHost.name} → ${m.destHost.name}, ${m.state}) the guest is ${where} (${m.guestLocationDetail ?? ""})`,
      migration: { id: m.id, vm: m.vmName, source: m.sourceHost.name, destination: m.destHost.name, state: m.state, verdict: null, reason: `guest ${where}` },
      window: m.windowId && m.window ? { id: m.windowId, name: m.window.name, endsAt: m.window.endsAt.toISOString() } : undefined,
    };
    add("failed", `location:${m.id}`, e, [...everywhere, ...windowTargets(m.window?.alertWebhooks ?? null)]);
  }

  // Windows run by hand still running after their end (scheduled ones stop launching: see below).
  const late = await db.maintenanceWindow.findMany({ where: { state: "running", endsAt: { lt: now }, armedAt: null }, select: { id: true, name: true, endsAt: true, alertWebhooks: true } });
  for (const w of late) {
    const e: AlertEvent = {
      kind: "overdue",
      at: now.toISOString(),
      url: `${base}/windows/${w.id}`,
      summary: `Maintenance window "${w.name}" is still running after its end (${w.endsAt.toISOString()})`,
      window: { id: w.id, name: w.name, endsAt: w.endsAt.toISOString() },
    };
    add("overdue", `window:${w.id}`, e, [...everywhere, ...windowTargets(w.alertWebhooks)]);
  }

  // Scheduled windows whose migrations are still in flight after their end (an overrun).
  const overrun = await db.maintenanceWindow.findMany({
    where: { state: { in: ["running", "paused"] }, armedAt: { not: null }, endsAt: { lt: now }, moves: { some: { state: "started" } } },
    select: { id: true, name: true, endsAt: true, alertWebhooks: true, moves: { where: { state: "started" }, select: { vmName: true } } },
  });
  for (const w of overrun) {
    const vms = w.moves.map((m) => m.vmName).sort();
    const e: AlertEvent = {
      kind: "window-overrun",
      at: now.toISOString(),
      url: `${base}/windows/${w.id}`,
      summary: `Maintenance window "${w.name}" overran its end (${w.endsAt.toISOString()}): ${vms.length} migration${vms.length === 1 ? "" : "s"} still in flight (${vms.slice(0, 5).join(", ")}${vms.length > 5 ? ", …" : ""}); no new ones are started`,
      window: { id: w.id, name: w.name, endsAt: w.endsAt.toISOString() },
    };
    add("window-overrun", `overrun:${w.id}`, e, [...everywhere, ...windowTargets(w.alertWebhooks)]);
  }

  if (!rowsToInsert.length) return 0;
  const r = await db.alertDelivery.createMany({ data: rowsToInsert, skipDuplicates: true });
  return r.count;
}

/** The enum's Prisma name (its database value is the hyphenated kind). */
function dbKind(kind: AlertKind): Prisma.AlertDeliveryCreateManyInput["kind"] {
  return kind === "window-overrun" ? "window_overrun" : kind;
}

function isOverdue(m: Candidate, now: Date, floorMs: number): boolean {
  const since = (m.startedAt ?? m.createdAt).getTime();
  const p = m.prediction && typeof m.prediction === "object" && !Array.isArray(m.prediction) ? (m.prediction as Record<string, unknown>) : {};
  const opts = m.options && typeof m.options === "object" && !Array.isArray(m.options) ? (m.options as Record<string, unknown>) : {};
  const capMiB = num(opts.bandwidthMiB);
  const nic = Number(m.sourceNicBps);
  const bandwidthBps = capMiB ? Math.min(capMiB * 2 ** 20, nic) : nic;
  return now.getTime() - since > overdueAfterMs({ predictedTotalMs: num(p.totalTimeMs), memoryBytes: Number(m.memoryBytes), bandwidthBps, floorMs });
}

type Due = { id: string; url: string; format: string; payload: Prisma.JsonValue; attempts: number; kind: AlertKind };

export type DeliverOptions = { timeoutMs?: number; retryBaseMs?: number; limit?: number };

/** Claims due deliveries (SKIP LOCKED, so each is sent by one worker) and POSTs them. */
export async function deliverAlerts(o: DeliverOptions = {}): Promise<{ delivered: number; failed: number }> {
  // The claim pushes nextAttemptAt past the request timeout: a worker that dies mid-send lets the
  // row come due again instead of holding it forever.
  const due = await db.$queryRaw<Due[]>`
    UPDATE "AlertDelivery" SET attempts = attempts + 1, "nextAttemptAt" = now() + interval '2 minutes'
    WHERE id IN (
      SELECT id FROM "AlertDelivery"
      WHERE "deliveredAt" IS NULL AND "gaveUpAt" IS NULL AND "nextAttemptAt" <= now()
      ORDER BY "nextAttemptAt" LIMIT ${o.limit ?? 20}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, url, format, payload, attempts, kind::text AS kind`;
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    due.map(async (d) => {
      const error = await postJson(d.url, JSON.stringify(d.payload), { timeoutMs: o.timeoutMs ?? 5_000 });
      if (!error) {
        delivered++;
        metrics().alerts.inc({ kind: d.kind, outcome: "delivered" });
        await db.alertDelivery.update({ where: { id: d.id }, data: { deliveredAt: new Date(), lastError: null } });
        return;
      }
      failed++;
      metrics().alerts.inc({ kind: d.kind, outcome: "failed" });
      const giveUp = d.attempts >= MAX_ATTEMPTS;
      log.warn("alert delivery failed", { deliveryId: d.id, kind: d.kind, attempt: d.attempts, giveUp, error, to: safeOrigin(d.url) });
      await db.alertDelivery.update({
        where: { id: d.id },
        data: { lastError: error, ...(giveUp ? { gaveUpAt: new Date() } : { nextAttemptAt: new Date(Date.now() + retryDelayMs(d.attempts, o.retryBaseMs)) }) },
      });
    }),
  );
  return { delivered, failed };
}

export type WindowAlertRow = { id: string; kind: string; url: string; format: string; attempts: number; lastError: string | null; deliveredAt: Date | null; gaveUpAt: Date | null; createdAt: Date; summary: string };

/** The alerts of a window's migrations and of the window itself, newest first (for its page). */
export async function listWindowAlerts(windowId: string, take = 50): Promise<WindowAlertRow[]> {
  const rows = await db.alertDelivery.findMany({ where: { windowId }, orderBy: { createdAt: "desc" }, take });
  return rows.map((r) => {
    const p = r.payload as Record<string, unknown> | null;
    const summary = typeof p?.summary === "string" ? p.summary : typeof p?.text === "string" ? p.text : r.kind;
    return { id: r.id, kind: r.kind === "window_overrun" ? "window-overrun" : r.kind, url: r.url, format: r.format, attempts: r.attempts, lastError: r.lastError, deliveredAt: r.deliveredAt, gaveUpAt: r.gaveUpAt, createdAt: r.createdAt, summary };
  });
}

