import "server-only";
import { z } from "zod";
import { parseAllowList } from "@/lib/net/outbound-address";

// Parsed on first use (not at import: `next build` loads server modules without a database);
// every other module calls env() instead of touching process.env.
const schema = z.object({
  DATABASE_URL: z.string().url(),
  CONVOY_DATA_DIR: z.string().default(".data"),
  // 32 bytes, base64. Without it a key is generated into CONVOY_DATA_DIR on first run.
  CONVOY_SECRET_KEY: z.string().optional(),
  CONVOY_SESSION_HOURS: z.coerce.number().int().positive().default(12),
  CONVOY_INVENTORY_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  // Host inventory reads a worker keeps in flight at once (each is a few virsh commands over SSH).
  CONVOY_INVENTORY_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  CONVOY_SSH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  // Force the Secure cookie flag even when no X-Forwarded-Proto: https header arrives.
  CONVOY_SECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  // Reverse proxies in front of the web servers that append to X-Forwarded-For (0 = none: the
  // address Next saw on the socket). Sign-in throttling keys on the address this yields.
  CONVOY_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Monitoring and alerts (README "Monitoring and alerts").
  CONVOY_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  CONVOY_METRICS_TOKEN: z.string().min(16).optional(),
  CONVOY_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CONVOY_WORKER_METRICS_HOST: z.string().default("127.0.0.1"),
  /** JSON: [{ "url": "https://…", "format": "generic" | "slack", "events": ["stalled", "failed", "overdue", "unhealthy"] }] for every migration. */
  CONVOY_ALERT_WEBHOOKS: z.string().default("[]"),
  /** Internal addresses/CIDRs webhooks may reach anyway (`127.0.0.1,10.0.0.0/8`); read by lib/net/outbound-address.ts. */
  CONVOY_WEBHOOK_ALLOW: z
    .string()
    .default("")
    .refine((s) => {
      try {
        parseAllowList(s);
        return true;
      } catch {
        return false;
      }
    }, "CONVOY_WEBHOOK_ALLOW: IP addresses or CIDRs, separated by commas"),
  // How long a landed guest is watched before Convoy says it is healthy (lib/migration/guest-health.ts).
  CONVOY_GUEST_HEALTH_SETTLE_MS: z.coerce.number().int().positive().default(20_000),
  CONVOY_ALERT_OVERDUE_MIN_MS: z.coerce.number().int().positive().default(1_800_000),
  // A scheduled window re-plans before it starts when its plan is older than this (or the fleet changed).
  CONVOY_REPLAN_AFTER_MS: z.coerce.number().int().positive().default(3_600_000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

let parsed: z.infer<typeof schema> | undefined;

export function env(): z.infer<typeof schema> {
  parsed ??= schema.parse(process.env);
  return parsed;
}
