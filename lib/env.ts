import "server-only";
import { z } from "zod";

// Parsed on first use (not at import: `next build` loads server modules without a database);
// every other module calls env() instead of touching process.env.
const schema = z.object({
  DATABASE_URL: z.string().url(),
  CONVOY_DATA_DIR: z.string().default(".data"),
  // 32 bytes, base64. Without it a key is generated into CONVOY_DATA_DIR on first run.
  CONVOY_SECRET_KEY: z.string().optional(),
  CONVOY_SESSION_HOURS: z.coerce.number().int().positive().default(12),
  CONVOY_INVENTORY_INTERVAL_MS: z.coerce.number().int().positive().default(10_000),
  CONVOY_SSH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  // Force the Secure cookie flag even when no X-Forwarded-Proto: https header arrives.
  CONVOY_SECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  // Monitoring and alerts (README "Monitoring and alerts").
  CONVOY_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  CONVOY_METRICS_TOKEN: z.string().min(16).optional(),
  CONVOY_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CONVOY_WORKER_METRICS_HOST: z.string().default("127.0.0.1"),
  /** JSON: [{ "url": "https://…", "format": "generic" | "slack", "events": ["stalled", "failed", "overdue", "unhealthy"] }] for every migration. */
  CONVOY_ALERT_WEBHOOKS: z.string().default("[]"),
  // How long a landed guest is watched before Convoy says it is healthy (lib/migration/guest-health.ts).
  CONVOY_GUEST_HEALTH_SETTLE_MS: z.coerce.number().int().positive().default(20_000),
  CONVOY_ALERT_OVERDUE_MIN_MS: z.coerce.number().int().positive().default(1_800_000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

let parsed: z.infer<typeof schema> | undefined;

export function env(): z.infer<typeof schema> {
  parsed ??= schema.parse(process.env);
  return parsed;
}
