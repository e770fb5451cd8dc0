// Alerts and metrics against a real Postgres and real HTTP receivers: the worker's alert steps
// (evaluate = idempotent outbox inserts, deliver = SKIP LOCKED claims + POST + retry), the web's
// /metrics route handler (token or admin session; values equal to the database's), and the
// worker's own scrape endpoint. Its own database: evaluateAlerts looks at every migration.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_alerts");
const TOKEN = "metrics-token-0123456789abcdef";
process.env.CONVOY_METRICS_TOKEN = TOKEN;
process.env.CONVOY_WORKER_METRICS_PORT = "0";
process.env.CONVOY_PUBLIC_URL = "http://convoy.test";
// The receivers listen on loopback: allowed the way an admin would (webhooks refuse internal addresses).
process.env.CONVOY_WEBHOOK_ALLOW = "127.0.0.1";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", () => ({
  SESSION_COOKIE: "convoy_session",
  getSession: async () => caller,
  userForToken: async () => caller,
}));

const { db } = await import("@/lib/db/client");
const { seal } = await import("@/lib/crypto/secret-box");
const { evaluateAlerts, deliverAlerts } = await import("@/lib/alerts/outbox");
const { GET: scrape } = await import("@/app/metrics/route");
const { startWorkerMetrics } = await import("@/lib/worker/metrics-server");
const { recordSamples } = await import("@/lib/db/migrations");
const { createWindowAction } = await import("@/lib/actions/windows");
const { NextRequest } = await import("next/server");

type Received = { path: string; body: Record<string, unknown> };
const received: Received[] = [];
let flakyFailuresLeft = 1;
const receiver = createServer((req: IncomingMessage, res) => {
  let data = "";
  req.on("data", (c) => {
    data += c;
  });
  req.on("end", () => {
    if (req.url === "/flaky" && flakyFailuresLeft-- > 0) return void res.writeHead(500).end("try later");
    received.push({ path: req.url ?? "", body: JSON.parse(data) });
    res.writeHead(204).end();
  });
});
let base = "";

const admin: SessionUser = { id: randomUUID(), username: "alice", role: "admin", sessionId: "s1" };
const viewer: SessionUser = { id: randomUUID(), username: "vic", role: "viewer", sessionId: "s2" };
const ids: Record<string, string> = {};

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const host = (name: string) =>
    db.host.create({
      data: {
        name,
        address: "127.0.0.1",
        sshUser: "root",
        privateKeyEnc: seal("not a key"),
        status: "active",
        hostKeyFingerprint: "SHA256:x",
      },
    });
  const [hv1, hv2] = await Promise.all([host("hv1"), host("hv2")]);
  const w = await db.maintenanceWindow.create({
    data: {
      name: "night drain",
      startsAt: new Date(Date.now() - 7_200_000),
      endsAt: new Date(Date.now() - 60_000),
      state: "running",
      alertWebhooks: [
        { url: `${base}/generic`, format: "generic", events: ["stalled", "failed", "overdue"] },
        { url: `${base}/slack`, format: "slack", events: ["failed"] },
      ],
    },
  });
  ids.window = w.id;
  const mig = (vmName: string, data: Record<string, unknown>) =>
    db.liveMigration.create({
      data: {
        vmUuid: randomUUID(),
        vmName,
        sourceHostId: hv1.id,
        destHostId: hv2.id,
        options: {},
        memoryBytes: BigInt(2 ** 30),
        vcpus: 1,
        windowId: w.id,
        ...data,
      },
    });
  ids.stalled = (
    await mig("vm-busy", {
      state: "running",
      startedAt: new Date(),
      verdict: { verdict: "wont-converge", reason: "Dirty rate ≥ transfer rate" },
    })
  ).id;
  ids.failed = (
    await mig("vm-broken", {
      state: "failed",
      endedAt: new Date(),
      verdict: { verdict: "stalled", reason: "destination went away" },
    })
  ).id;
  ids.overdue = (
    await mig("vm-slow", {
      state: "running",
      startedAt: new Date(Date.now() - 3_600_000),
      verdict: { verdict: "converging" },
    })
  ).id;
  ids.fine = (await mig("vm-fine", { state: "running", startedAt: new Date(), verdict: { verdict: "converging" } })).id;
  ids.old = (await mig("vm-old-failure", { state: "failed", endedAt: new Date(Date.now() - 3 * 3_600_000) })).id;
  ids.queued = (await mig("vm-queued", { state: "queued" })).id;
});

afterAll(async () => {
  receiver.close();
  await db.$disconnect();
});

const everywhere = () => [{ url: `${base}/flaky`, format: "generic" as const, events: ["overdue" as const] }];
const evaluate = () => evaluateAlerts({ overdueFloorMs: 600_000, targets: everywhere() });

describe("webhook alerts", () => {
  it("queues one delivery per event and webhook, however many workers evaluate", async () => {
    const counts = await Promise.all([evaluate(), evaluate(), evaluate()]);
    const rows = await db.alertDelivery.findMany({ orderBy: { key: "asc" } });
    // stalled, failed, overdue → generic; failed → slack; overdue migration + overdue window → the global flaky hook; window overdue → generic
    expect(rows.map((r) => `${r.kind} ${r.migrationId ?? "window"} ${new URL(r.url).pathname}`).sort()).toEqual(
      [
        `failed ${ids.failed} /generic`,
        `failed ${ids.failed} /slack`,
        `overdue ${ids.overdue} /flaky`,
        `overdue ${ids.overdue} /generic`,
        `overdue window /flaky`,
        `overdue window /generic`,
        `stalled ${ids.stalled} /generic`,
      ].sort(),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(await evaluate()).toBe(0);
  });

  it("delivers each alert once (two workers at once), retries a 500 and then delivers", async () => {
    const [a, b] = await Promise.all([deliverAlerts({ retryBaseMs: 1 }), deliverAlerts({ retryBaseMs: 1 })]);
    expect(a.delivered + b.delivered).toBe(6); // 7 queued; the first POST to /flaky answers 500
    expect(a.failed + b.failed).toBe(1);
    const failing = await db.alertDelivery.findFirst({ where: { deliveredAt: null } });
    expect(failing?.lastError).toBe("HTTP 500");
    expect(failing?.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    const again = await deliverAlerts({ retryBaseMs: 1 });
    expect(again).toEqual({ delivered: 1, failed: 0 });
    expect(await db.alertDelivery.count({ where: { deliveredAt: null } })).toBe(0);
    expect(await deliverAlerts()).toEqual({ delivered: 0, failed: 0 });

    const byPath = (p: string) => received.filter((r) => r.path === p).map((r) => r.body);
    const generic = byPath("/generic");
    expect(generic.map((g) => `${g.event}:${(g.migration as { vm?: string } | null)?.vm ?? "window"}`).sort()).toEqual([
      "failed:vm-broken",
      "overdue:vm-slow",
      "overdue:window",
      "stalled:vm-busy",
    ]);
    const stalled = generic.find((g) => g.event === "stalled");
    expect(stalled).toMatchObject({
      severity: "warning",
      url: `http://convoy.test/migrations/${ids.stalled}`,
      migration: { vm: "vm-busy", source: "hv1", destination: "hv2", verdict: "wont-converge" },
      window: { id: ids.window, name: "night drain" },
    });
    const [slack] = byPath("/slack");
    expect(byPath("/slack")).toHaveLength(1);
    expect(slack?.text).toBe(
      `:red_circle: Convoy: vm-broken (hv1 → hv2) failed: destination went away <http://convoy.test/migrations/${ids.failed}|open>`,
    );
    expect(byPath("/flaky")).toHaveLength(2);
  });

  it("refuses a window webhook that is not http(s), and never audits the webhook path", async () => {
    caller = admin;
    const hv = await db.host.findFirstOrThrow({ where: { name: "hv1" } });
    const bad = await createWindowAction({
      name: "w2",
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3_600_000),
      hostIds: [hv.id],
      alertWebhooks: [{ url: "file:///etc/passwd" }],
    });
    expect(bad).toMatchObject({ ok: false, code: "INVALID" });
    const ok = await createWindowAction({
      name: "window three",
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3_600_000),
      hostIds: [hv.id],
      policyName: "none",
      alertWebhooks: [{ url: "https://hooks.slack.test/services/T000/B000/SECRETPATH", format: "slack" }],
    });
    expect(ok).toMatchObject({ ok: true });
    const audit = await db.auditLog.findFirstOrThrow({
      where: { action: "window.create", result: "ok" },
      orderBy: { at: "desc" },
    });
    const text = JSON.stringify(audit.after);
    expect(text).not.toContain("SECRETPATH");
    expect(text).toContain("https://hooks.slack.test");
  });
});

function series(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe("/metrics", () => {
  it("needs the bearer token or an admin session", async () => {
    caller = null;
    expect((await scrape(new NextRequest("http://convoy.test/metrics"))).status).toBe(401);
    expect(
      (
        await scrape(
          new NextRequest("http://convoy.test/metrics", {
            headers: { authorization: "Bearer wrong-token-0123456789abc" },
          }),
        )
      ).status,
    ).toBe(401);
    caller = viewer;
    expect((await scrape(new NextRequest("http://convoy.test/metrics"))).status).toBe(403);
    caller = admin;
    expect((await scrape(new NextRequest("http://convoy.test/metrics"))).status).toBe(200);
  });

  it("reports in-flight migrations, queue depth and action counts as the database has them", async () => {
    caller = viewer;
    await createWindowAction({ name: "nope", startsAt: new Date(), endsAt: new Date(), hostIds: [] }); // denied
    caller = null;
    const res = await scrape(
      new NextRequest("http://convoy.test/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const s = series(await res.text());
    const byState = await db.liveMigration.groupBy({
      by: ["state"],
      _count: true,
      where: { state: { in: ["queued", "launching", "running", "postcopy"] } },
    });
    for (const state of ["queued", "launching", "running", "postcopy"]) {
      expect(s.get(`convoy_migrations_in_flight{state="${state}"}`)).toBe(
        byState.find((b) => b.state === state)?._count ?? 0,
      );
    }
    expect(s.get('convoy_queue_depth{queue="migrations"}')).toBe(1);
    expect(s.get('convoy_queue_depth{queue="alerts"}')).toBe(
      await db.alertDelivery.count({ where: { deliveredAt: null, gaveUpAt: null } }),
    );
    expect(s.get('convoy_actions_total{action="window.create",outcome="denied"}')).toBe(1);
    expect(s.get('convoy_actions_total{action="window.create",outcome="invalid"}')).toBe(1);
    expect(s.get('convoy_actions_total{action="window.create",outcome="ok"}')).toBe(1);
    expect(s.get('convoy_alert_deliveries_total{kind="overdue",outcome="failed"}')).toBe(1);
    expect(s.get("convoy_postgres_up")).toBe(1);
  });

  it("the worker's endpoint counts stored samples", async () => {
    const at = new Date().toISOString();
    const sample = {
      at,
      elapsedMs: 1000,
      processedBytes: 1,
      remainingBytes: 2,
      totalBytes: 3,
      dirtyRateBps: 0,
      transferRateBps: 1,
      iteration: 1,
      throttlePct: 0,
      expectedDowntimeMs: 10,
      postcopyRequests: 0,
    };
    await recordSamples([
      { migrationId: ids.fine, sample, progressPct: 1, verdict: { verdict: "converging" } } as never,
    ]);
    const server = startWorkerMetrics();
    if (!server) throw new Error("metrics endpoint not started");
    await new Promise((r) => server.once("listening", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const text = await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    server.close();
    const s = series(text);
    expect(s.get("convoy_migration_samples_total")).toBe(1);
    expect(s.get("convoy_sample_publish_seconds_count")).toBe(1);
    expect(await db.migrationSample.count({ where: { migrationId: ids.fine } })).toBe(1);
  });
});
