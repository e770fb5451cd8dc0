import "server-only";
// The alert outbox. `evaluateAlerts` (every worker, every few seconds) finds migrations that are
// stalled, failed or overdue and windows past their end, and inserts one AlertDelivery per
// (event, webhook) — the unique key makes that idempotent across workers and restarts.
// `deliverAlerts` claims due rows with SKIP LOCKED and POSTs them, retrying with backoff.
// Evaluation reads what the sampler already stored (state, verdict), so the 1 Hz path pays nothing.
import {
  alertCandidates,
  claimDueAlerts,
  insertAlertDeliveries,
  lateWindows,
  markAlertDelivered,
  markAlertFailed,
  overrunWindows,
  unplacedGuests,
} from "@/lib/db/alerts";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/convoy";
import { parseJsonLimited } from "@/lib/parse/safe-parse";
import { safeOrigin } from "@/lib/net/outbound-address";
import {
  type Alert,
  type AlertContext,
  lateWindowAlerts,
  migrationAlerts,
  overrunAlerts,
  unplacedAlerts,
} from "./conditions";
import { alertKey } from "./key";
import { postJson } from "./post";
import { type AlertKind, alertPayload, MAX_ATTEMPTS, retryDelayMs, type WebhookTarget, webhookTargets } from "./rules";

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
  if (!r.success)
    log.error("CONVOY_ALERT_WEBHOOKS is not valid: no global alerts", { issue: r.error.issues[0]?.message });
  globalTargets = r.success ? r.data : [];
  return globalTargets;
}

export type EvaluateOptions = { now?: Date; overdueFloorMs?: number; publicUrl?: string; targets?: WebhookTarget[] };

/** Inserts the deliveries for every alert condition true now; returns how many rows were new. */
export async function evaluateAlerts(o: EvaluateOptions = {}): Promise<number> {
  const now = o.now ?? new Date();
  const at: AlertContext = {
    now,
    floorMs: o.overdueFloorMs ?? env().CONVOY_ALERT_OVERDUE_MIN_MS,
    base: (o.publicUrl ?? env().CONVOY_PUBLIC_URL).replace(/\/$/, ""),
    everywhere: o.targets ?? globalWebhooks(),
  };
  // One query per condition, in turn (each reads what the sampler and the drain already stored).
  const alerts = [
    ...migrationAlerts(await alertCandidates(now), at),
    ...unplacedAlerts(await unplacedGuests(now), at),
    ...lateWindowAlerts(await lateWindows(now), at),
    ...overrunAlerts(await overrunWindows(now), at),
  ];
  return insertAlertDeliveries(alerts.flatMap(deliveryRows));
}

/** One row per webhook that subscribes to the alert's kind. */
function deliveryRows({ kind, subject, event, targets }: Alert): Prisma.AlertDeliveryCreateManyInput[] {
  return targets
    .filter((t) => t.events.includes(kind))
    .map((t) => ({
      key: alertKey(kind, subject, t),
      kind: dbKind(kind),
      migrationId: event.migration?.id ?? null,
      windowId: event.window?.id ?? null,
      url: t.url,
      format: t.format,
      payload: alertPayload(t.format, event) as Prisma.InputJsonValue,
    }));
}

/** The enum's Prisma name (its database value is the hyphenated kind). */
function dbKind(kind: AlertKind): Prisma.AlertDeliveryCreateManyInput["kind"] {
  return kind === "window-overrun" ? "window_overrun" : kind;
}

export type DeliverOptions = { timeoutMs?: number; retryBaseMs?: number; limit?: number };

/** Claims due deliveries (SKIP LOCKED, so each is sent by one worker) and POSTs them. */
export async function deliverAlerts(o: DeliverOptions = {}): Promise<{ delivered: number; failed: number }> {
  const due = await claimDueAlerts(o.limit ?? 20);
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    due.map(async (d) => {
      const error = await postJson(d.url, JSON.stringify(d.payload), { timeoutMs: o.timeoutMs ?? 5_000 });
      if (!error) {
        delivered++;
        metrics().alerts.inc({ kind: d.kind, outcome: "delivered" });
        await markAlertDelivered(d.id);
        return;
      }
      failed++;
      metrics().alerts.inc({ kind: d.kind, outcome: "failed" });
      const giveUp = d.attempts >= MAX_ATTEMPTS;
      log.warn("alert delivery failed", {
        deliveryId: d.id,
        kind: d.kind,
        attempt: d.attempts,
        giveUp,
        error,
        to: safeOrigin(d.url),
      });
      await markAlertFailed(
        d.id,
        error,
        giveUp ? null : new Date(Date.now() + retryDelayMs(d.attempts, o.retryBaseMs)),
      );
    }),
  );
  return { delivered, failed };
}
