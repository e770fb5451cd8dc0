import { z } from "zod";
import { multilineText } from "@/lib/schemas/text";

const diskTarget = z.string().regex(/^[a-z]{2,4}[a-z0-9]{0,6}$/, "A disk target such as vda");

/** How a migration is launched; stored with it and shown on its page. */
export const launchOptions = z.object({
  /** Bandwidth cap in MiB/s; absent = unlimited (libvirt's default). */
  bandwidthMiB: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** QEMU's switchover target; applied with migrate-setmaxdowntime once the job exists. */
  maxDowntimeMs: z.coerce.number().int().min(1).max(2_000_000).default(300),
  autoConverge: z
    .object({
      enabled: z.boolean(),
      initial: z.coerce.number().int().min(1).max(99).default(20),
      increment: z.coerce.number().int().min(1).max(99).default(10),
    })
    .default({ enabled: true, initial: 20, increment: 10 }),
  postcopy: z.boolean().default(false),
  copyStorage: z.boolean().default(false),
  migrateDisks: z.array(diskTarget).max(32).optional(),
  parallelConnections: z.coerce.number().int().min(2).max(16).optional(),
  compressed: z.boolean().default(false),
  tls: z.boolean().default(false),
  timeout: z
    .object({ seconds: z.coerce.number().int().min(1).max(86_400), action: z.enum(["suspend", "postcopy"]) })
    .optional(),
  persistent: z.boolean().default(true),
  undefineSource: z.boolean().default(true),
});
export type LaunchOptions = z.output<typeof launchOptions>;

/** A migration's stored launch options (a JSON column), parsed rather than cast: a row written by an
 *  older Convoy or edited by hand fails here, by name, instead of deep inside a virsh argv. */
export function storedLaunchOptions(json: unknown): LaunchOptions {
  const r = launchOptions.safeParse(json);
  if (r.success) return r.data;
  throw new Error(
    `stored launch options are invalid: ${r.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; ")}`,
  );
}

const uuid = z.string().uuid();

export const precheckInput = z.object({ vmId: uuid, destHostId: z.union([uuid, z.literal("best")]) });

export const predictInput = z.object({ vmId: uuid, seconds: z.coerce.number().int().min(1).max(5).default(2) });

export const startMigrationInput = z.object({
  vmId: uuid,
  destHostId: z.union([uuid, z.literal("best")]),
  options: launchOptions,
  /** Admins may start despite failed checks, with a reason (audited). */
  overrideReason: multilineText(10, 500, "Say why (at least 10 characters)").optional(),
  /** Escalation policy applied automatically; "none" leaves every decision to the operator. */
  policyName: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/)
    .default("default"),
  idempotencyKey: z.string().uuid(),
});
