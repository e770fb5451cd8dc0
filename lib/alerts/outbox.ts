import "server-only";
// The alert outbox. `evaluateAlerts` (every worker, every few seconds) finds migrations that are
// stalled, failed or overdue and windows past their end, and inserts one AlertDelivery per
// (event, webhook) — the unique key makes that idempotent across workers and restarts.
// `deliverAlerts` claims due rows with SKIP LOCKED and POSTs them, retrying with backoff.
// Evaluation reads what the sampler already stored (state, verdict), so the 1 Hz path pays nothing.
import {
  type AlertCandidate,
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
import { whereaboutsText } from "@/lib/migration/whereabouts";
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
  if (!r.success)
    log.error("CONVOY_ALERT_WEBHOOKS is not valid: no global alerts", { issue: r.error.issues[0]?.message });
  globalTargets = r.success ? r.data : [];
  return globalTargets;
}

function windowTargets(raw: Prisma.JsonValue | null): WebhookTarget[] {
  const r = storedWebhookTargets.safeParse(raw ?? []);
  return r.success ? r.data : [];
}

export type EvaluateOptions = { now?: Date; overdueFloorMs?: number; publicUrl?: string; targets?: WebhookTarget[] };

/** Inserts the deliveries for every alert condition true now; returns how many rows were new. */
export async function evaluateAlerts(o: EvaluateOptions = {}): Promise<number> {
  const now = o.now ?? new Date();
  const floorMs = o.overdueFloorMs ?? env().CONVOY_ALERT_OVERDUE_MIN_MS;
  const base = (o.publicUrl ?? env().CONVOY_PUBLIC_URL).replace(/\/$/, "");
  const everywhere = o.targets ?? globalWebhooks();

  // Unfinished migrations, and those that failed in the last hour (older failures are history,
  // not news — e.g. when alerts are configured for the first time).
  const rows = await alertCandidates(now);

  const rowsToInsert: Prisma.AlertDeliveryCreateManyInput[] = [];
  const add = (kind: AlertKind, subject: string, e: AlertEvent, targets: WebhookTarget[]) => {
    for (const t of targets) {
      if (!t.events.includes(kind)) continue;
      rowsToInsert.push({
        key: alertKey(kind, subject, t),
        kind: dbKind(kind),
        migrationId: e.migration?.id ?? null,
        windowId: e.window?.id ?? null,
        url: t.url,
        format: t.format,
        payload: alertPayload(t.format, e) as Prisma.InputJsonValue,
      });
    }
  };

  for (const m of rows) {
    const { verdict, reason } = m;
    const kind: AlertKind | null =
      m.state === "completed"
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
      migration: {
        id: m.id,
        vm: m.vmName,
        source: m.source,
        destination: m.destination,
        state: m.state,
        verdict,
        reason,
      },
      window:
        m.windowId && m.windowName && m.windowEndsAt
          ? { id: m.windowId, name: m.windowName, endsAt: m.windowEndsAt.toISOString() }
          : undefined,
    };
    add(kind, m.id, e, [...everywhere, ...windowTargets(m.alertWebhooks)]);
  }

  // Guests nobody can place (a host that cannot be asked, two running copies, none): the worker
  // keeps asking (lib/migration-ops/recheck-whereabouts.ts); this alerts once per migration, as a
  // critical ("failed") event of its own subject.
  const unplaced = await unplacedGuests(now);
  for (const m of unplaced) {
    const where = whereaboutsText({ location: m.guestLocation, host: m.guestLocationHost });
    const e: AlertEvent = {
      kind: "failed",
      at: now.toISOString(),
      url: `${base}/migrations/${m.id}`,
      summary: `Where is ${m.vmName}? After its migration (${m.sourceHost.name} → ${m.destHost.name}, ${m.state}) the guest is ${where} (${m.guestLocationDetail ?? ""})`,
      migration: {
        id: m.id,
        vm: m.vmName,
        source: m.sourceHost.name,
        destination: m.destHost.name,
        state: m.state,
        verdict: null,
        reason: `guest ${where}`,
      },
      window:
        m.windowId && m.window
          ? { id: m.windowId, name: m.window.name, endsAt: m.window.endsAt.toISOString() }
          : undefined,
    };
    add("failed", `location:${m.id}`, e, [...everywhere, ...windowTargets(m.window?.alertWebhooks ?? null)]);
  }

  // Windows run by hand still running after their end (scheduled ones stop launching: see below).
  const late = await lateWindows(now);
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
  const overrun = await overrunWindows(now);
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

  return insertAlertDeliveries(rowsToInsert);
}

/** The enum's Prisma name (its database value is the hyphenated kind). */
function dbKind(kind: AlertKind): Prisma.AlertDeliveryCreateManyInput["kind"] {
  return kind === "window-overrun" ? "window_overrun" : kind;
}

function isOverdue(m: AlertCandidate, now: Date, floorMs: number): boolean {
  const since = (m.startedAt ?? m.createdAt).getTime();
  const capMiB = m.bandwidthMiB;
  const nic = Number(m.sourceNicBps);
  const bandwidthBps = capMiB ? Math.min(capMiB * 2 ** 20, nic) : nic;
  return (
    now.getTime() - since >
    overdueAfterMs({ predictedTotalMs: m.predictedTotalMs, memoryBytes: Number(m.memoryBytes), bandwidthBps, floorMs })
  );
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
