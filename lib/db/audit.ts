import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export type AuditActor = { id: string | null; name: string; role: string | null };
export type AuditDetail = { targetType?: string; targetId?: string; before?: unknown; after?: unknown };
export type AuditResult = "ok" | "denied" | "invalid" | "error";

const SECRET_KEYS = new Set(["privateKey", "privateKeyEnc", "password", "passwordHash", "token"]);

/** JSON-safe copy for audit columns: BigInt → string, secrets → "[redacted]". */
export function auditJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (SECRET_KEYS.has(key)) return "[redacted]";
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
      actorName: entry.actor.name.slice(0, 200),
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: auditJson(entry.before),
      after: auditJson(entry.after),
      result: entry.result,
      error: entry.error?.slice(0, 2000),
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
