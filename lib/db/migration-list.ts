import "server-only";
// Active and past migrations as plain JSON-safe rows (no BigInt, no Date; lib/schemas/wire.ts),
// shared by the page's prefetch and GET /api/migrations so the two always agree.
import { listActiveMigrations, listMigrationHistory } from "@/lib/db/migrations";
import { listUsers } from "@/lib/db/users";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import type { MigrationListFilters } from "@/lib/schemas/migration-list";
import { type MigrationList, type MigrationListItem, storedVerdict } from "@/lib/schemas/wire";

export const HISTORY_LIMIT = 200;

type Row = Awaited<ReturnType<typeof listActiveMigrations>>[number];

export async function getMigrationList(f: MigrationListFilters): Promise<MigrationList> {
  const [active, history, users] = await Promise.all([
    listActiveMigrations(),
    listMigrationHistory({
      host: f.host,
      vm: f.vm,
      outcome: f.outcome,
      from: f.from ? new Date(`${f.from}T00:00:00.000Z`) : undefined,
      to: f.to ? new Date(`${f.to}T23:59:59.999Z`) : undefined,
      take: HISTORY_LIMIT,
    }),
    listUsers(),
  ]);
  const names = new Map(users.map((u) => [u.id, u.username]));
  const item = (m: Row): MigrationListItem => ({
    id: m.id,
    vmName: m.vmName,
    source: m.sourceHost.name,
    dest: m.destHost.name,
    state: m.state,
    progressPct: m.progressPct,
    verdict: verdictSummary(m.verdict),
    lastSampleAt: m.lastSampleAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    startedAt: m.startedAt?.toISOString() ?? null,
    endedAt: m.endedAt?.toISOString() ?? null,
    startedBy: m.createdById ? (names.get(m.createdById) ?? "deleted user") : null,
    downtimeMs: m.downtimeMs,
    totalTimeMs: m.totalTimeMs,
    dataProcessedBytes: m.dataProcessedBytes === null ? null : Number(m.dataProcessedBytes),
    error: m.error,
    guestWhere: whereaboutsText({ location: m.guestLocation, host: m.guestLocationHost }),
    guestWhereSettled: m.guestLocationSettled,
    guestHealth: m.guestHealth,
    guestHealthReason: m.guestHealthReason,
  });
  return { active: active.map(item), history: history.map(item), historyLimit: HISTORY_LIMIT };
}

function verdictSummary(column: unknown): MigrationListItem["verdict"] {
  const v = storedVerdict.parse(column);
  return v && { verdict: v.verdict, reason: v.reason, etaMs: v.etaMs, since: v.since };
}
