// Pure and browser-safe (the window form parses webhooks with it): what a webhook target is, when a migration is overdue, what each alert says (generic JSON
// and Slack-compatible), its dedupe key and the retry schedule. No I/O.
import { z } from "zod";
import { forbiddenUrlTarget, webhookAllowList } from "@/lib/net/outbound-address";

import { ALERT_KINDS, type AlertKind, storedWebhookTargets, targetFields, webhookUrl } from "@/lib/alerts/types";

export { ALERT_KINDS, type AlertKind, storedWebhookTargets };

/** A webhook as saved: also refused when it names an internal address (CONVOY_WEBHOOK_ALLOW aside). */
export const webhookTarget = z.object({
  url: webhookUrl.superRefine((u, ctx) => {
    const allow = webhookAllowList();
    const why = allow && forbiddenUrlTarget(u, allow);
    if (why)
      ctx.addIssue({
        code: "custom",
        message: `Webhooks may not reach internal addresses (${why}); an admin can allow them with CONVOY_WEBHOOK_ALLOW`,
      });
  }),
  ...targetFields,
});
export type WebhookTarget = z.output<typeof webhookTarget>;
export const webhookTargets = z.array(webhookTarget).max(10, "At most 10 webhooks");

/**
 * The form's text: one webhook per line, `URL [generic|slack] [stalled,failed,overdue,unhealthy,window-overrun]`;
 * "#" starts a comment. Returns the first problem with its line number.
 */
export function parseWebhookLines(text: string): { ok: true; targets: WebhookTarget[] } | { ok: false; error: string } {
  const targets: WebhookTarget[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/#.*$/, "").trim();
    if (!line) continue;
    const [url, ...rest] = line.split(/\s+/);
    let format: string | undefined;
    let events: string[] | undefined;
    for (const word of rest) {
      if (word === "generic" || word === "slack") format = word;
      else events = word.split(",").filter(Boolean);
    }
    const parsed = webhookTarget.safeParse({ url, format, events });
    if (!parsed.success)
      return { ok: false, error: `Line ${i + 1}: ${parsed.error.issues[0]?.message ?? "not a webhook"}` };
    targets.push(parsed.data);
  }
  if (targets.length > 10) return { ok: false, error: "At most 10 webhooks" };
  return { ok: true, targets };
}

export function webhookLines(targets: WebhookTarget[]): string {
  return targets.map((t) => `${t.url} ${t.format} ${t.events.join(",")}`).join("\n");
}

/**
 * Overdue = still running after max(3 × the expected time, floor). The expected time is the
 * prediction's when there is one, else one full copy of memory at the usable rate (bandwidth cap
 * or the source NIC): a healthy pre-copy finishes in 1.1–2 copies, so 3× is clearly wrong.
 */
export function overdueAfterMs(o: {
  predictedTotalMs: number | null;
  memoryBytes: number;
  bandwidthBps: number;
  floorMs: number;
}): number {
  const expected = o.predictedTotalMs ?? (o.bandwidthBps > 0 ? (o.memoryBytes / o.bandwidthBps) * 1000 : 0);
  return Math.max(3 * expected, o.floorMs);
}

export type AlertEvent = {
  kind: AlertKind;
  at: string;
  /** Link to the live page (migration) or the window page. */
  url: string;
  summary: string;
  migration?: {
    id: string;
    vm: string;
    source: string;
    destination: string;
    state: string;
    verdict: string | null;
    reason: string | null;
  };
  window?: { id: string; name: string; endsAt: string };
};

const SEVERITY: Record<AlertKind, "warning" | "critical"> = {
  stalled: "warning",
  overdue: "warning",
  failed: "critical",
  unhealthy: "critical",
  "window-overrun": "warning",
};

export function alertPayload(format: WebhookTarget["format"], e: AlertEvent): Record<string, unknown> {
  if (format === "generic") {
    return {
      event: e.kind,
      severity: SEVERITY[e.kind],
      summary: e.summary,
      migration: e.migration ?? null,
      window: e.window ?? null,
      url: e.url,
      at: e.at,
    };
  }
  const icon = SEVERITY[e.kind] === "critical" ? ":red_circle:" : ":warning:";
  // Every interpolated value is escaped, the summary too: it carries VM, host and window names.
  const text = `${icon} Convoy: ${slackEscape(e.summary)} <${slackEscape(e.url)}|open>`;
  const fields = e.migration
    ? [
        { type: "mrkdwn", text: `*VM*\n${slackEscape(e.migration.vm)}` },
        {
          type: "mrkdwn",
          text: `*Route*\n${slackEscape(e.migration.source)} → ${slackEscape(e.migration.destination)}`,
        },
        { type: "mrkdwn", text: `*State*\n${slackEscape(e.migration.state)}` },
        { type: "mrkdwn", text: `*Verdict*\n${slackEscape(e.migration.reason ?? e.migration.verdict ?? "—")}` },
      ]
    : [];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      ...(fields.length ? [{ type: "section", fields }] : []),
    ],
  };
}

/** Slack's mrkdwn control characters, so a VM named "<!channel>" pings nobody. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Retry delays: 10 s, 20 s, 40 s … capped at 10 min; give up after `MAX_ATTEMPTS` tries. */
export const MAX_ATTEMPTS = 8;
export function retryDelayMs(attempts: number, baseMs = 10_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 600_000);
}
