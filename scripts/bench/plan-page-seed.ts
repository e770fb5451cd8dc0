// Seeds the plan-page bench (issue 17): the generated fleet's hosts, and per size one planned window
// whose plan is the real planner's on a generated fleet (scripts/bench/evacuation-scale.ts), stored
// through lib/db's storePlan as Plan (dry run) stores it — plus a copy of it as a completed run
// (every move landed, one migration each) for the report page. And an operator's session.
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import type { LaneMove } from "@/app/(console)/windows/[id]/host-lanes";
import { planEvacuation } from "@/lib/planner/evacuate";
import { scaleFleet } from "./evacuation-scale";

export type SeededWindow = { moves: number; planId: string; reportId: string; planMs: number; laneMoves: LaneMove[] };

export async function seedSession(c: pg.Client): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await c.query(
    `INSERT INTO "User" (id, username, role, "passwordHash") VALUES ('bench-op', 'bench-op', 'operator', 'x')`,
  );
  await c.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, 'bench-op', now() + interval '1 day')`, [
    createHash("sha256").update(token).digest("hex"),
  ]);
  return token;
}

/** Host rows h00000…: scaleFleet(n) names its n/2 hosts that way, so the largest fleet covers the smaller. */
export async function seedHosts(c: pg.Client, hosts: number): Promise<void> {
  await c.query(
    `INSERT INTO "Host" (id, name, address, "sshUser", "privateKeyEnc", status, "updatedAt")
     SELECT 'h' || lpad(i::text, 5, '0'), 'h' || lpad(i::text, 5, '0'), '127.0.0.1', 'root', 'x', 'active', now()
     FROM generate_series(0, $1::int - 1) i`,
    [hosts],
  );
}

export async function seedPlannedWindow(c: pg.Client, n: number): Promise<SeededWindow> {
  const { storePlan } = await import("@/lib/db/plans");
  const { moveRows } = await import("@/lib/evacuation/plan-window");
  const { transaction } = await import("@/lib/db/client");
  const input = scaleFleet(n);
  const t = performance.now();
  const plan = planEvacuation(input);
  const planMs = performance.now() - t;
  const planId = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const reportId = `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`;
  const drained = input.hosts.filter((h) => h.state === "draining").map((h) => h.id);
  for (const [id, name] of [
    [planId, `plan ${n} moves`],
    [reportId, `ran ${n} moves`],
  ]) {
    await c.query(
      `INSERT INTO "MaintenanceWindow" (id, name, "startsAt", "endsAt", state) VALUES ($1, $2, now() + interval '1 day', now() + interval '1 day 8 hours', 'draft')`,
      [id, name],
    );
    await c.query(`INSERT INTO "WindowHost" ("windowId", "hostId") SELECT $1, unnest($2::text[])`, [id, drained]);
  }
  const prepared = {
    plan: {
      ...plan,
      plannedAt: new Date().toISOString(),
      rates: input.vms.map((v) => ({ vmId: v.id, vmName: v.name, dirtyRateBps: v.dirtyRateBps, measured: true })),
      notMoved: [],
      notes: [`bench: scaleFleet(${n}), ${input.hosts.length} hosts, ${drained.length} drained`],
      hostNames: Object.fromEntries(input.hosts.map((h) => [h.id, h.name])),
      settings: {
        maxOutbound: input.maxOutboundPerSource,
        maxInbound: input.maxInboundPerDest,
        maxDowntimeMs: input.maxDowntimeMs,
        autoConvergeWhenNeeded: input.autoConvergeWhenNeeded,
        policyName: null,
      },
    },
    moves: moveRows(plan, new Map(input.vms.map((v) => [v.id, v.uuid]))),
  };
  for (const id of [planId, reportId]) await transaction((tx) => storePlan(tx, id, prepared), { timeout: 60_000 });
  await markRun(c, reportId);
  // Host names are their ids here: what the page's host Gantt lays out.
  const laneMoves = prepared.moves.map((m, i) => ({
    vmName: m.vmName,
    sourceHost: m.sourceHostId,
    destHost: m.destHostId,
    plannedStartMs: m.plannedStartMs,
    plannedEndMs: m.plannedEndMs,
    state: "pending" as const,
    strategy: plan.moves[i]!.strategy,
  }));
  return { moves: plan.moves.length, planId, reportId, planMs, laneMoves };
}

/** The report's window as if it ran to plan: one completed migration per move, at its planned times. */
async function markRun(c: pg.Client, id: string): Promise<void> {
  await c.query(
    `UPDATE "MaintenanceWindow" SET state = 'completed', "startedAt" = now() - interval '6 hours', "endedAt" = now() WHERE id = $1`,
    [id],
  );
  await c.query(
    `INSERT INTO "LiveMigration" (id, "vmUuid", "vmName", "sourceHostId", "destHostId", state, options, "memoryBytes", vcpus, "windowId",
       "createdAt", "startedAt", "endedAt", "totalTimeMs", "downtimeMs", "dataProcessedBytes", verdict)
     SELECT m.id || '-run', m."vmUuid", m."vmName", m."sourceHostId", m."destHostId", 'completed', '{}', 4294967296, 2, m."windowId",
       w."startedAt" + make_interval(secs => m."plannedStartMs" / 1000.0), w."startedAt" + make_interval(secs => m."plannedStartMs" / 1000.0),
       w."startedAt" + make_interval(secs => m."plannedEndMs" / 1000.0), m."plannedEndMs" - m."plannedStartMs", 20 + m."order" * 7919 % 400,
       4294967296, jsonb_build_object('verdict', 'converging')
     FROM "EvacuationMove" m JOIN "MaintenanceWindow" w ON w.id = m."windowId" WHERE m."windowId" = $1`,
    [id],
  );
  await c.query(
    `UPDATE "EvacuationMove" SET state = 'completed', attempts = 1, "migrationId" = id || '-run' WHERE "windowId" = $1`,
    [id],
  );
}
