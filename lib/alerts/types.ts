// Leaf (zod only, browser-safe): the alert vocabulary lib/db reads stored rows with — the kinds, a
// stored webhook's shape, what a failed delivery may show. Rules and delivery build on it.
import { z } from "zod";

export const ALERT_KINDS = ["stalled", "failed", "overdue", "unhealthy", "window-overrun"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const webhookUrl = z
  .string()
  .trim()
  .max(2000, "At most 2000 characters")
  .url("A full URL, e.g. https://hooks.example.com/convoy")
  .refine((u) => /^https?:\/\//i.test(u), "Only http:// or https:// URLs");
export const targetFields = {
  format: z.enum(["generic", "slack"]).default("generic"),
  events: z
    .array(z.enum(ALERT_KINDS))
    .min(1)
    .max(ALERT_KINDS.length)
    .default([...ALERT_KINDS]),
};

/**
 * Webhooks read back from the database: the shape only, so a target saved before a rule tightened
 * still shows and its deliveries fail visibly ("blocked") at connect time instead of vanishing.
 */
export const storedWebhookTargets = z.array(z.object({ url: webhookUrl, ...targetFields })).max(10);

/** What a failed delivery shows (stored, and seen by viewers): a fixed category, never the raw error. */
export type DeliveryFailure =
  | "timeout"
  | "refused"
  | "dns"
  | "tls"
  | "blocked address"
  | "connection failed"
  | `HTTP ${number}`;

const FIXED = new Set(["timeout", "refused", "dns", "tls", "blocked address", "connection failed"]);

/** A stored lastError as viewers may see it (rows written before categories existed included). */
export function shownDeliveryError(stored: string | null): string | null {
  if (stored === null) return null;
  return FIXED.has(stored) || /^HTTP \d{3}$/.test(stored) ? stored : "connection failed";
}
