import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  buildWindowReport,
  type DirtyRates,
  notConvergedIds,
  type ReportAction,
  type ReportMigration,
  type ReportMove,
  type ReportWindowAction,
  type TrendRow,
  type WindowReport,
} from "@/lib/reports/window-report";

// The rows a window's report is computed from, in seven lean queries (only the needed columns,
// bytes as float8, the plan's JSON cut down in SQL). Samples are read only for the migrations that
// did not converge on their own, as one aggregate; never for the whole window.

const TREND_WINDOWS = 10;

export async function getWindowReport(id: string): Promise<WindowReport | null> {
  const [w] = await db.$queryRaw<
    {
      id: string;
      name: string;
      state: string;
      startedAt: Date | null;
      endedAt: Date | null;
      downtimeBudgetMs: number;
      policyName: string | null;
      unplaced: { vmName: string; reason: string }[] | null;
      rates: Record<string, number> | null;
    }[]
  >`
    SELECT w.id, w.name, w.state::text AS state, w."startedAt", w."endedAt", w."downtimeBudgetMs", p.name AS "policyName",
      (SELECT jsonb_agg(jsonb_build_object('vmName', u->>'vmName', 'reason', u->>'reason')) FROM jsonb_array_elements(w.plan->'unplaced') u) AS unplaced,
      (SELECT jsonb_object_agg(r->>'vmName', (r->>'dirtyRateBps')::float8) FROM jsonb_array_elements(w.plan->'rates') r) AS rates
    FROM "MaintenanceWindow" w LEFT JOIN "EscalationPolicy" p ON p.id = w."policyId"
    WHERE w.id = ${id}`;
  if (!w) return null;

  const [migrations, moves, actions, windowActions, trend] = await Promise.all([
    listMigrations(id),
    db.$queryRaw<ReportMove[]>`
      SELECT m."vmName", h.name AS "sourceHost", m.state::text AS state, m."plannedStartMs", m."plannedEndMs"
      FROM "EvacuationMove" m JOIN "Host" h ON h.id = m."sourceHostId"
      WHERE m."windowId" = ${id} ORDER BY m."order"`,
    // One "-requested" event per click or policy step (a duplicate click is refused by its idempotency key).
    db.$queryRaw<ReportAction[]>`
      SELECT e."migrationId", e.source, left(e.type, -length('-requested')) AS type,
        COALESCE(u.username, split_part(e.message, ': ', 1)) AS actor, count(*)::int AS count
      FROM "MigrationEvent" e JOIN "LiveMigration" l ON l.id = e."migrationId" LEFT JOIN "User" u ON u.id = e."actorId"
      WHERE l."windowId" = ${id} AND e.source IN ('operator', 'policy') AND e.type LIKE '%-requested'
      GROUP BY 1, 2, 3, 4`,
    db.$queryRaw<ReportWindowAction[]>`
      SELECT action, "actorName" AS actor, count(*)::int AS count
      FROM "AuditLog" WHERE "targetId" = ${id} AND action LIKE 'window.%' AND result = 'ok'
      GROUP BY 1, 2 ORDER BY min(at)`,
    listTrend(id),
  ]);
  const flagged = notConvergedIds(migrations, actions);
  return buildWindowReport({
    window: {
      id: w.id,
      name: w.name,
      state: w.state,
      startedAt: ms(w.startedAt),
      endedAt: ms(w.endedAt),
      downtimeBudgetMs: w.downtimeBudgetMs,
      policyName: w.policyName,
    },
    migrations,
    moves,
    unplaced: w.unplaced ?? [],
    plannedDirtyBps: w.rates ?? {},
    actions,
    windowActions,
    dirtyRates: await peakRates(flagged),
    trend,
  });
}

/** Times as epoch ms computed in SQL: 30,000 timestamps parsed into Dates cost more than the query. */
function listMigrations(windowId: string): Promise<ReportMigration[]> {
  return db.$queryRaw<ReportMigration[]>`
    SELECT l.id, l."vmName", s.name AS source, d.name AS dest, l.state::text AS state,
      ${EPOCH_MS("createdAt")} AS "createdAt", ${EPOCH_MS("startedAt")} AS "startedAt", ${EPOCH_MS("endedAt")} AS "endedAt",
      l."totalTimeMs", l."downtimeMs", l."dataProcessedBytes"::float8 AS "dataBytes", l.verdict->>'verdict' AS verdict, l.error,
      l."guestLocation", l."guestLocationHost",
      l."guestHealth"::text AS "guestHealth"
    FROM "LiveMigration" l JOIN "Host" s ON s.id = l."sourceHostId" JOIN "Host" d ON d.id = l."destHostId"
    WHERE l."windowId" = ${windowId}`;
}

async function peakRates(ids: string[]): Promise<Record<string, DirtyRates>> {
  if (ids.length === 0) return {};
  const rows = await db.$queryRaw<
    { migrationId: string; peakDirtyBps: number | null; peakTransferBps: number | null }[]
  >`
    SELECT "migrationId", max("dirtyRateBps") AS "peakDirtyBps", max("transferRateBps") AS "peakTransferBps"
    FROM "MigrationSample" WHERE "migrationId" = ANY(${ids}::text[]) GROUP BY 1`;
  return Object.fromEntries(
    rows.map((r) => [r.migrationId, { peakDirtyBps: r.peakDirtyBps, peakTransferBps: r.peakTransferBps }]),
  );
}

/** The last ten finished windows up to this one (which is always included), oldest first. */
async function listTrend(windowId: string): Promise<TrendRow[]> {
  const rows = await db.$queryRaw<(Omit<TrendRow, "startedAt"> & { startedAt: Date })[]>`
    SELECT w.id AS "windowId", w.name, w."startedAt",
      (EXTRACT(EPOCH FROM (w."endedAt" - w."startedAt")) * 1000)::float8 AS "drainMs",
      count(l.id)::int AS migrations,
      (SELECT count(*) FROM "EvacuationMove" m WHERE m."windowId" = w.id AND m.state = 'failed')::int AS failed,
      COALESCE(sum(l."downtimeMs") FILTER (WHERE l.state = 'completed'), 0)::float8 AS "totalDowntimeMs",
      percentile_disc(0.95) WITHIN GROUP (ORDER BY l."downtimeMs") FILTER (WHERE l.state = 'completed' AND l."downtimeMs" IS NOT NULL) AS "p95DowntimeMs"
    FROM (
      SELECT id, name, "startedAt", "endedAt" FROM "MaintenanceWindow"
      WHERE "startedAt" IS NOT NULL AND (id = ${windowId} OR (state IN ('completed', 'cancelled') AND "startedAt" <= COALESCE((SELECT "startedAt" FROM "MaintenanceWindow" WHERE id = ${windowId}), 'infinity'::timestamp)))
      ORDER BY (id = ${windowId}) DESC, "startedAt" DESC LIMIT ${TREND_WINDOWS}
    ) w LEFT JOIN "LiveMigration" l ON l."windowId" = w.id
    GROUP BY w.id, w.name, w."startedAt", w."endedAt"
    ORDER BY w."startedAt"`;
  return rows.map((r) => ({ ...r, startedAt: r.startedAt.getTime() }));
}

const ms = (d: Date | null) => (d ? d.getTime() : null);
const EPOCH_MS = (column: "createdAt" | "startedAt" | "endedAt") =>
  Prisma.raw(`(EXTRACT(EPOCH FROM l."${column}") * 1000)::float8`);
