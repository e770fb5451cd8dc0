import { createHash } from "node:crypto";
import type { AlertKind, WebhookTarget } from "./rules";

/** One alert per (event, subject, webhook), whichever worker notices it first. */
export function alertKey(kind: AlertKind, subject: string, target: Pick<WebhookTarget, "url" | "format">): string {
  return `${kind}:${subject}:${createHash("sha256").update(`${target.format} ${target.url}`).digest("hex").slice(0, 16)}`;
}
