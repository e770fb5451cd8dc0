import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

export type NewMigration = {
  vmUuid: string;
  vmName: string;
  sourceHostId: string;
  destHostId: string;
  memoryBytes: bigint;
  vcpus: number;
  options: Prisma.InputJsonValue;
  prediction?: Prisma.InputJsonValue;
  prechecks?: Prisma.InputJsonValue;
  overrideReason?: string;
  policyName?: string;
  createdById?: string | null;
  windowId?: string | null;
  restartOfId?: string | null;
  idempotencyKey?: string | null;
};

/**
 * Queues a migration and reserves its RAM and vCPUs on the destination, atomically: the
 * destination row is locked, so two operators (or planners) racing for the last free memory on a
 * host cannot both win (migration-physics C.2). The partial unique index refuses a second active
 * migration of the same VM. A decommissioned destination is always refused; one in maintenance
 * (no new incoming moves) when `destInService` (drains; an admin's override of the pre-checks may).
 */
export async function enqueueMigration(
  tx: Tx,
  m: NewMigration,
  opts: { skipCapacityCheck?: boolean; destInService?: boolean } = {},
) {
  const [dest] = await tx.$queryRaw<
    { memoryFreeBytes: bigint | null; cores: number | null; name: string; status: string }[]
  >`
    SELECT "memoryFreeBytes", cores, name, status::text AS status FROM "Host" WHERE id = ${m.destHostId} FOR UPDATE`;
  if (!dest || dest.status === "removed")
    throw new AppError("NOT_FOUND", "No such destination host (it may have been decommissioned).");
  if (opts.destInService && dest.status !== "active")
    throw new AppError("CONFLICT", `${dest.name} is ${dest.status}: no new incoming moves.`);
  if (!opts.skipCapacityCheck) {
    const held = await tx.reservation.aggregate({ where: { hostId: m.destHostId }, _sum: { memoryBytes: true } });
    const free = (dest.memoryFreeBytes ?? 0n) - (held._sum.memoryBytes ?? 0n);
    if (free < m.memoryBytes) {
      throw new AppError(
        "CONFLICT",
        `${dest.name} no longer has room: ${gib(free)} free after migrations already heading there, ${gib(m.memoryBytes)} needed.`,
      );
    }
  }
  try {
    const row = await tx.liveMigration.create({ data: { ...m, state: "queued" } });
    await tx.reservation.create({
      data: { hostId: m.destHostId, migrationId: row.id, memoryBytes: m.memoryBytes, vcpus: m.vcpus },
    });
    return row;
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", `${m.vmName} is already being migrated.`);
    }
    throw e;
  }
}

const gib = (b: bigint) => `${(Number(b) / 2 ** 30).toFixed(1)} GiB`;

/** The migration a click with this idempotency key already started, if any. */
export function findMigrationByIdempotencyKey(key: string) {
  return db.liveMigration.findUnique({ where: { idempotencyKey: key } });
}
