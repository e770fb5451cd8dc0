import "server-only";
// The alert conditions evaluateAlerts (outbox.ts) checks, one function per rule: each turns the
// rows its query found into alerts (an event, the subject it is deduplicated on, its webhooks).
import type { AlertCandidate, lateWindows, overrunWindows, unplacedGuests } from "@/lib/db/alerts";
import type { Prisma } from "@/lib/generated/prisma/client";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import { type AlertEvent, type AlertKind, overdueAfterMs, storedWebhookTargets, type WebhookTarget } from "./rules";

export type AlertContext = { now: Date; floorMs: number; base: string; everywhere: WebhookTarget[] };
export type Alert = { kind: AlertKind; subject: string; event: AlertEvent; targets: WebhookTarget[] };

type Row<F extends (now: Date) => Promise<unknown[]>> = Awaited<ReturnType<F>>[number];

function windowTargets(raw: Prisma.JsonValue | null): WebhookTarget[] {
  const r = storedWebhookTargets.safeParse(raw ?? []);
  return r.success ? r.data : [];
}

/**
 * Unfinished migrations, and those that failed in the last hour (alertCandidates): unhealthy on
 * landing, failed or lost, not converging, or running longer than expected.
 */
export function migrationAlerts(rows: AlertCandidate[], at: AlertContext): Alert[] {
  const alerts: Alert[] = [];
  for (const m of rows) {
    const { verdict, reason } = m;
    const kind = migrationKind(m, at);
    if (!kind) continue;
    const event: AlertEvent = {
      kind,
      at: at.now.toISOString(),
      url: `${at.base}/migrations/${m.id}`,
      summary: migrationSummary(kind, m, at.now),
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
    alerts.push({ kind, subject: m.id, event, targets: [...at.everywhere, ...windowTargets(m.alertWebhooks)] });
  }
  return alerts;
}

function migrationKind(m: AlertCandidate, at: AlertContext): AlertKind | null {
  if (m.state === "completed") return "unhealthy";
  if (["failed", "lost"].includes(m.state)) return "failed";
  if (m.verdict === "stalled" || m.verdict === "wont-converge") return "stalled";
  return isOverdue(m, at.now, at.floorMs) ? "overdue" : null;
}

function migrationSummary(kind: AlertKind, m: AlertCandidate, now: Date): string {
  const route = `${m.source} → ${m.destination}`;
  if (kind === "unhealthy")
    return `${m.vmName} (${route}) landed, unhealthy: ${m.guestHealthReason ?? "its guest failed the health check"}`;
  if (kind === "failed")
    return `${m.vmName} (${route}) ${m.state === "lost" ? "was lost track of" : "failed"}${m.reason ? `: ${m.reason}` : ""}`;
  if (kind === "stalled") return `${m.vmName} (${route}) is not converging: ${m.reason ?? m.verdict}`;
  return `${m.vmName} (${route}) has been running for ${Math.round((now.getTime() - (m.startedAt ?? m.createdAt).getTime()) / 60_000)} min, longer than expected`;
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

/**
 * Guests nobody can place (a host that cannot be asked, two running copies, none): the worker
 * keeps asking (lib/migration-ops/recheck-whereabouts.ts); this alerts once per migration, as a
 * critical ("failed") event of its own subject.
 */
export function unplacedAlerts(rows: Row<typeof unplacedGuests>[], at: AlertContext): Alert[] {
  return rows.map((m) => {
    const where = whereaboutsText({ location: m.guestLocation, host: m.guestLocationHost });
    const event: AlertEvent = {
      kind: "failed",
      at: at.now.toISOString(),
      url: `${at.base}/migrations/${m.id}`,
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
    const targets = [...at.everywhere, ...windowTargets(m.window?.alertWebhooks ?? null)];
    return { kind: "failed", subject: `location:${m.id}`, event, targets };
  });
}

/** Windows run by hand still running after their end (scheduled ones stop launching: see below). */
export function lateWindowAlerts(rows: Row<typeof lateWindows>[], at: AlertContext): Alert[] {
  return rows.map((w) => ({
    kind: "overdue",
    subject: `window:${w.id}`,
    event: {
      kind: "overdue",
      at: at.now.toISOString(),
      url: `${at.base}/windows/${w.id}`,
      summary: `Maintenance window "${w.name}" is still running after its end (${w.endsAt.toISOString()})`,
      window: { id: w.id, name: w.name, endsAt: w.endsAt.toISOString() },
    },
    targets: [...at.everywhere, ...windowTargets(w.alertWebhooks)],
  }));
}

/** Scheduled windows whose migrations are still in flight after their end (an overrun). */
export function overrunAlerts(rows: Row<typeof overrunWindows>[], at: AlertContext): Alert[] {
  return rows.map((w) => {
    const vms = w.moves.map((m) => m.vmName).sort();
    return {
      kind: "window-overrun",
      subject: `overrun:${w.id}`,
      event: {
        kind: "window-overrun",
        at: at.now.toISOString(),
        url: `${at.base}/windows/${w.id}`,
        summary: `Maintenance window "${w.name}" overran its end (${w.endsAt.toISOString()}): ${vms.length} migration${vms.length === 1 ? "" : "s"} still in flight (${vms.slice(0, 5).join(", ")}${vms.length > 5 ? ", …" : ""}); no new ones are started`,
        window: { id: w.id, name: w.name, endsAt: w.endsAt.toISOString() },
      },
      targets: [...at.everywhere, ...windowTargets(w.alertWebhooks)],
    };
  });
}
