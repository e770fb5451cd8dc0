// Issue 6 benchmark: a maintenance window with 10,000 VMs (10,200 migrations: every 50th VM failed
// once and was retried) plus nine earlier windows for the trend, seeded with SQL into a real
// Postgres. Measures (a) the loader + aggregation in this process, (b) the CSV and the PDF, and
// (c) the real page: GET /windows/:id/report on `next start` (the production build) with a viewer's
// session cookie, time to the whole HTML, and the CSV / PDF routes end to end. Medians after a
// warm-up. Ports: BENCH_PG_PORT (default 41543) and BENCH_WEB_PORT (default 41544).
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { stopAll } from "../lib/processes";
import { freshDatabase, startBuiltConsole } from "./built-console";

const BUDGET_MS = 500;

export type ReportBench = {
  vms: number;
  migrations: number;
  loadMs: number[];
  csvMs: number[];
  pdfMs: number[];
  pdfPages: number;
  pdfBytes: number;
  page: Timed | null;
  csvRoute: Timed | null;
  pdfRoute: Timed | null;
};
type Timed = { ms: number[]; bytes: number };

export async function benchReport(opts: { vms?: number; runs?: number; page?: boolean } = {}): Promise<ReportBench> {
  const vms = opts.vms ?? 10_000;
  const runs = opts.runs ?? 5;
  const database = await freshDatabase({
    dataDir: "bench/pg",
    port: Number(process.env.BENCH_PG_PORT ?? 41543),
    dbName: "convoy_bench_report",
  });
  const url = database.url;
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const seeded = await seedReportWindow(client, vms).finally(() => client.end());

    process.env.DATABASE_URL = url;
    const { getWindowReport } = await import("@/lib/db/window-report");
    const { migrationsCsv } = await import("@/lib/reports/csv");
    const { renderReportPdf } = await import("@/lib/reports/report-pdf");
    const report = await getWindowReport(seeded.windowId); // warm-up
    if (!report || report.rows.length !== seeded.migrations)
      throw new Error(`report has ${report?.rows.length} rows, seeded ${seeded.migrations}`);
    const loadMs = await timed(runs, () => getWindowReport(seeded.windowId));
    const csvMs = await timed(runs, async () => migrationsCsv(report, "http://127.0.0.1"));
    let pdf: Buffer = Buffer.alloc(0);
    const pdfMs = await timed(Math.min(runs, 3), async () => {
      pdf = await renderReportPdf(report, "http://127.0.0.1/report");
    });
    const pdfPages = (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;

    let page: Timed | null = null;
    let csvRoute: Timed | null = null;
    let pdfRoute: Timed | null = null;
    if (opts.page !== false) {
      const base = await startBuiltConsole(
        url,
        Number(process.env.BENCH_WEB_PORT ?? 41544),
        "for the page measurement",
      );
      try {
        const get = (p: string) => fetchWhole(`${base}${p}`, seeded.cookie);
        page = await timedFetch(runs + 2, () => get(`/windows/${seeded.windowId}/report`), "Every migration (");
        csvRoute = await timedFetch(runs, () => get(`/api/windows/${seeded.windowId}/report.csv`));
        pdfRoute = await timedFetch(Math.min(runs, 3), () => get(`/api/windows/${seeded.windowId}/report.pdf`));
      } finally {
        await stopAll();
      }
    }
    return {
      vms,
      migrations: seeded.migrations,
      loadMs,
      csvMs,
      pdfMs,
      pdfPages,
      pdfBytes: pdf.length,
      page,
      csvRoute,
      pdfRoute,
    };
  } finally {
    await database.stop();
  }
}

/**
 * One completed window of `vms` VMs drained off 10 hosts onto 10 others over 6 h: downtimes spread
 * over 20–919 ms (budget 500), durations 20–199 s, every 50th VM failed once before its retry,
 * every 97th aborted, every 20th helped by the policy, every 200th suspended by an operator, every
 * 33rd left stalled; 20 samples per migration; 12 unplaced VMs; nine earlier windows of 1,000.
 */
export async function seedReportWindow(
  c: pg.Client,
  vms: number,
): Promise<{ windowId: string; migrations: number; cookie: string }> {
  const windowId = "00000000-0000-4000-8000-00000000b0b0";
  const token = randomBytes(32).toString("base64url");
  await c.query("BEGIN");
  await c.query(`INSERT INTO "Host" (id, name, address, "sshUser", "privateKeyEnc", status, "updatedAt")
    SELECT 'bench-h' || i, 'bench-hv' || lpad(i::text, 2, '0'), '127.0.0.1', 'root', 'x', 'active', now() FROM generate_series(1, 20) i`);
  await c.query(
    `INSERT INTO "User" (id, username, role, "passwordHash") VALUES ('bench-viewer', 'bench-viewer', 'viewer', 'x'), ('bench-operator', 'bench-operator', 'operator', 'x')`,
  );
  await c.query(
    `INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, 'bench-viewer', now() + interval '1 day')`,
    [createHash("sha256").update(token).digest("hex")],
  );
  await c.query(
    `INSERT INTO "EscalationPolicy" (id, name, steps, "updatedAt") VALUES ('bench-policy', 'default', '[]', now())`,
  );

  const windows = [
    ...Array.from({ length: 9 }, (_, k) => ({
      id: `00000000-0000-4000-8000-00000000a00${k}`,
      n: 1_000,
      daysAgo: 9 - k,
    })),
    { id: windowId, n: vms, daysAgo: 0 },
  ];
  for (const w of windows) {
    await c.query(
      `INSERT INTO "MaintenanceWindow" (id, name, "startsAt", "endsAt", state, "downtimeBudgetMs", "policyId", "startedAt", "endedAt", plan)
       SELECT $1, $2, t0, t0 + interval '8 hours', 'completed', ${BUDGET_MS}, 'bench-policy', t0, t0 + interval '6 hours',
         jsonb_build_object('makespanMs', 21600000,
           'unplaced', (SELECT jsonb_agg(jsonb_build_object('vmId', 'u' || j, 'vmName', 'big-' || j, 'reason', 'no destination has room')) FROM generate_series(1, 12) j),
           'rates', (SELECT jsonb_agg(jsonb_build_object('vmId', 'v' || i, 'vmName', 'vm-' || lpad(i::text, 5, '0'), 'dirtyRateBps', (i * 7 % 300) * 1048576.0, 'measured', true)) FROM generate_series(1, $3::int) i),
           'moves', (SELECT jsonb_agg(jsonb_build_object('vmName', 'vm-' || lpad(i::text, 5, '0'), 'startMs', i * 2000, 'endMs', i * 2000 + 60000)) FROM generate_series(1, $3::int) i))
       FROM (SELECT date_trunc('day', now()) - make_interval(days => $4::int) + interval '2 hours' AS t0) t`,
      [w.id, w.id === windowId ? `bench ${vms} VMs` : `earlier window ${w.daysAgo}`, w.n, w.daysAgo],
    );
    // Final attempt of each VM; every 50th VM also has a failed first attempt (id suffix -f).
    await c.query(
      `INSERT INTO "LiveMigration" (id, "vmUuid", "vmName", "sourceHostId", "destHostId", state, options, "memoryBytes", vcpus, "windowId", "policyName",
         "createdAt", "startedAt", "endedAt", "totalTimeMs", "downtimeMs", "dataProcessedBytes", verdict)
       SELECT $1 || '-' || i, 'uuid-' || i, 'vm-' || lpad(i::text, 5, '0'), 'bench-h' || (1 + i % 10), 'bench-h' || (11 + i % 10),
         (CASE WHEN i % 97 = 0 THEN 'cancelled' ELSE 'completed' END)::"MigrationState", '{}', 4294967296, 2, $1, 'default',
         w."startedAt" + make_interval(secs => i * 21600.0 / $2), w."startedAt" + make_interval(secs => i * 21600.0 / $2),
         w."startedAt" + make_interval(secs => i * 21600.0 / $2 + 20 + i * 7919 % 180),
         CASE WHEN i % 97 = 0 THEN NULL ELSE (20 + i * 7919 % 180) * 1000 END,
         CASE WHEN i % 97 = 0 THEN NULL ELSE 20 + i * 104729 % 900 END,
         4294967296 + (i % 13)::bigint * 268435456,
         jsonb_build_object('verdict', CASE WHEN i % 33 = 0 THEN 'stalled' ELSE 'converging' END)
       FROM generate_series(1, $2::int) i, (SELECT "startedAt" FROM "MaintenanceWindow" WHERE id = $1) w`,
      [w.id, w.n],
    );
    await c.query(
      `INSERT INTO "LiveMigration" (id, "vmUuid", "vmName", "sourceHostId", "destHostId", state, options, "memoryBytes", vcpus, "windowId", "createdAt", "startedAt", "endedAt", "dataProcessedBytes", error)
       SELECT l.id || '-f', l."vmUuid", l."vmName", l."sourceHostId", 'bench-h' || (11 + (i + 1) % 10), 'failed', '{}', 4294967296, 2, $1,
         l."startedAt" - interval '30 seconds', l."startedAt" - interval '30 seconds', l."startedAt" - interval '5 seconds', 1073741824, 'migration link dropped'
       FROM generate_series(50, $2::int, 50) i JOIN "LiveMigration" l ON l.id = $1 || '-' || i`,
      [w.id, w.n],
    );
    await c.query(
      `INSERT INTO "EvacuationMove" (id, "windowId", "vmUuid", "vmName", "sourceHostId", "destHostId", "order", "plannedStartMs", "plannedEndMs", state, attempts, "migrationId")
       SELECT $1 || '-m' || i, $1, 'uuid-' || i, 'vm-' || lpad(i::text, 5, '0'), 'bench-h' || (1 + i % 10), 'bench-h' || (11 + i % 10), i,
         (i * 21000.0 / $2 * 1000)::int, (i * 21000.0 / $2 * 1000)::int + 90000,
         (CASE WHEN i % 97 = 0 THEN 'failed' ELSE 'completed' END)::"MoveState", CASE WHEN i % 50 = 0 THEN 2 ELSE 1 END, $1 || '-' || i
       FROM generate_series(1, $2::int) i`,
      [w.id, w.n],
    );
  }
  await c.query(`INSERT INTO "MigrationEvent" ("migrationId", at, source, type, message, "idempotencyKey")
    SELECT l.id, l."startedAt" + interval '10 seconds', 'policy', t.type, 'policy default: ' || t.type, l.id || t.type
    FROM "LiveMigration" l, (VALUES ('set-max-downtime-requested'), ('set-max-downtime')) t(type)
    WHERE l."windowId" IS NOT NULL AND l.state <> 'failed' AND split_part(l.id, '-', 6)::int % 20 = 0`);
  await c.query(`INSERT INTO "MigrationEvent" ("migrationId", at, source, type, message, "actorId", "idempotencyKey")
    SELECT l.id, l."startedAt" + interval '15 seconds', 'operator', 'suspend-to-finish-requested', 'bench-operator: suspend the guest to finish', 'bench-operator', l.id || 'suspend-to-finish'
    FROM "LiveMigration" l WHERE l."windowId" IS NOT NULL AND l.state <> 'failed' AND split_part(l.id, '-', 6)::int % 200 = 0`);
  await c.query(`INSERT INTO "MigrationSample" ("migrationId", at, "elapsedMs", "processedBytes", "remainingBytes", "totalBytes", "dirtyRateBps", "transferRateBps", iteration, "throttlePct", "expectedDowntimeMs")
    SELECT l.id, l."startedAt" + make_interval(secs => s), s * 1000, s::bigint * 100000000, 4294967296 - s::bigint * 100000000, 4294967296, (s * 37 % 200) * 1048576.0, 1.1e9, s / 5, 0, 300
    FROM "LiveMigration" l, generate_series(1, 20) s WHERE l."windowId" IS NOT NULL`);
  await c.query(
    `INSERT INTO "AuditLog" ("actorId", "actorName", "actorRole", action, "targetType", "targetId", result, at)
    SELECT 'bench-operator', 'bench-operator', 'operator', a, 'window', $1, 'ok', now() FROM unnest(ARRAY['window.plan', 'window.run', 'window.pause', 'window.resume']) a`,
    [windowId],
  );
  const [{ n }] = (
    await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "LiveMigration" WHERE "windowId" = $1`, [windowId])
  ).rows as [{ n: number }];
  await c.query("COMMIT");
  await c.query("ANALYZE");
  return { windowId, migrations: n, cookie: `convoy_session=${token}` };
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** The first two requests warm the server up (route compilation caches, connection pool) and are not counted. */
async function timedFetch(
  runs: number,
  fn: () => Promise<{ ms: number; bytes: number; text: string }>,
  expect?: string,
): Promise<Timed> {
  const all: { ms: number; bytes: number; text: string }[] = [];
  for (let i = 0; i < runs; i++) all.push(await fn());
  const counted = all.length > 2 ? all.slice(2) : all;
  if (expect && !counted.every((r) => r.text.includes(expect)))
    throw new Error(`the page did not render (no "${expect}")`);
  return { ms: counted.map((r) => r.ms), bytes: counted[0]?.bytes ?? 0 };
}

async function fetchWhole(url: string, cookie: string): Promise<{ ms: number; bytes: number; text: string }> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t;
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return {
    ms,
    bytes: body.length,
    text: res.headers.get("content-type")?.startsWith("text/html") ? body.toString("utf8") : "",
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : 0;
};
