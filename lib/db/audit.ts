import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

/** tokenId: the API token the actor used, when not the console. */
export type AuditActor = { id: string | null; name: string; role: string | null; tokenId?: string };
export type AuditDetail = { targetType?: string; targetId?: string; before?: unknown; after?: unknown };
export type AuditResult = "ok" | "denied" | "invalid" | "error";
/** Runs DB work in one transaction that also writes the caller's audit row (a server action's `tx`). */
export type AuditedTransaction = <T>(
  fn: (tx: Tx) => Promise<T>,
  audit: AuditDetail | ((result: T) => AuditDetail),
) => Promise<T>;

const SECRET_KEYS = new Set(["privateKey", "privateKeyEnc", "password", "passwordHash", "token"]);

/** JSON-safe copy for audit columns: BigInt → string, secrets → "[redacted]". */
export function auditJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (SECRET_KEYS.has(key)) return "[redacted]";
      if (typeof v === "string") return storable(v);
      return typeof v === "bigint" ? v.toString() : v;
    }),
  );
}

export async function writeAudit(
  client: Tx | typeof db,
  entry: { actor: AuditActor; action: string; result: AuditResult; error?: string } & AuditDetail,
): Promise<void> {
  await client.auditLog.create({
    data: {
      actorId: entry.actor.id,
      actorName: storable(entry.actor.name.slice(0, 200)),
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId === undefined ? undefined : storable(entry.targetId.slice(0, 200)),
      before: auditJson(entry.before),
      after: auditJson(entry.after),
      result: entry.result,
      error: entry.error === undefined ? undefined : storable(entry.error.slice(0, 2000)),
      tokenId: entry.actor.tokenId,
    },
  });
}

export async function listAudit(opts: { take: number; action?: string; targetId?: string }) {
  return db.auditLog.findMany({
    where: { action: opts.action, targetId: opts.targetId },
    orderBy: { id: "desc" },
    take: opts.take,
  });
}

/**
 * Postgres refuses NUL in text and jsonb, and an unpaired UTF-16 surrogate (e.g. half an emoji in
 * a JSON.parse error message) breaks the query: an audit row must land whatever the caller sent (a
 * refusal is exactly what the log is for), so both become U+FFFD here. Inputs are refused earlier
 * by the schemas; this is the last line.
 */
function storable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what Postgres refuses
  return s.replace(/\u0000|\p{Surrogate}/gu, "\uFFFD");
}
