// Issue 7.1 load benchmark: 500 simulated hosts, 200 migrations in flight sampled at 1 Hz, 20
// browsers subscribed over SSE. Starts the real stack (Postgres, sim, worker, built web server),
// enqueues the migrations through the action's path (enqueueMigration), then measures a steady
// window: worker CPU and RSS from /proc, host → browser latency (the sim's wall-clock stamp of each
// domjobinfo answer, read from its control API, vs the receipt time in the page), samples lost
// between sim, Postgres and browsers, SSH connections per host (counted by the sim) and DB writes/s.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import pg from "pg";
import { simOf, startStack } from "../lib/stack";
import { machineLoad, sleep, waitFor } from "./util";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HOSTS = 500;
const MIGRATIONS = 200;
const BROWSERS = 20;
const WINDOW_S = Number(process.env.CONVOY_BENCH_LOAD_SECONDS ?? 60);
const WARMUP_S = 10;
const PASSWORD = "bench-load-password";

type Served = Record<string, [number, number][]>;
type Received = { migrationId: string; at: string; elapsedMs: number; recvMs: number };

export async function benchLoad(): Promise<string> {
  const dataDir = path.join(ROOT, ".data", "bench-load");
  mkdirSync(dataDir, { recursive: true });
  const fleetFile = path.join(dataDir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(fleet()));
  const stack = await startStack({
    dataDir,
    pgPort: Number(process.env.CONVOY_BENCH_PG_PORT ?? 45432),
    dbName: "convoy_bench_load",
    fleetFile,
    simBasePort: 0,
    simControlPort: 0,
    webPort: Number(process.env.CONVOY_BENCH_WEB_PORT ?? 45300),
    timeScale: 1,
    resetDatabase: true,
    users: [{ username: "bench", role: "viewer", password: PASSWORD }],
    // CONVOY_BENCH_CPU_PROF=DIR writes the worker's V8 CPU profile there when it stops.
    workerNodeArgs: process.env.CONVOY_BENCH_CPU_PROF
      ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.CONVOY_BENCH_CPU_PROF)}`]
      : [],
    quiet: !process.env.CONVOY_BENCH_VERBOSE,
  });
  const sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const q = async <T extends pg.QueryResultRow>(text: string, params?: unknown[]) =>
      (await sql.query<T>(text, params)).rows;
    await waitFor(
      "every host's first inventory",
      240,
      async () =>
        Number((await q<{ n: string }>(`SELECT count(*) n FROM "Host" WHERE "lastSeenAt" IS NOT NULL`))[0]?.n) ===
        HOSTS,
    );
    const ids = await enqueueAll(stack.databaseUrl);
    // A worker that cannot keep up launches slowly too: measure anyway after 3 minutes, and say so.
    const sampled = async () =>
      Number(
        (
          await q<{ n: string }>(
            `SELECT count(*) n FROM "LiveMigration" WHERE state = 'running' AND "lastSampleAt" IS NOT NULL`,
          )
        )[0]?.n,
      );
    await waitFor("every migration sampled", 180, async () => (await sampled()) === MIGRATIONS).catch(() => {});
    const sampledAtStart = await sampled();

    // 20 browser contexts (each has its own connection pool, as 20 users would), one stream each.
    const login = await browser.newContext();
    const lp = await login.newPage();
    await lp.goto(`${stack.url}/login`);
    await lp.getByLabel("User name").fill("bench");
    await lp.getByLabel("Password").fill(PASSWORD);
    await lp.getByRole("button", { name: "Sign in" }).click();
    await lp.getByTestId("current-user").waitFor();
    const storageState = await login.storageState();
    const watched = ids.filter((_, i) => i % Math.floor(MIGRATIONS / BROWSERS) === 0).slice(0, BROWSERS);
    const pages = await Promise.all(
      watched.map(async (id) => {
        const page = await (await browser.newContext({ storageState })).newPage();
        await page.goto(`${stack.url}/api/health`);
        await page.evaluate((migrationId) => {
          const w = window as unknown as { __convoySamples: unknown[] };
          w.__convoySamples = [];
          new EventSource(`/api/migrations/${migrationId}/events`).addEventListener("sample", (e) => {
            const u = JSON.parse((e as MessageEvent).data);
            w.__convoySamples.push({ migrationId, at: u.sample.at, elapsedMs: u.sample.elapsedMs, recvMs: Date.now() });
          });
        }, id);
        return page;
      }),
    );

    await sleep(WARMUP_S * 1000);
    const workerPid = stack.pids().workers[0];
    const webPid = stack.pids().web[0];
    const dbName = new URL(stack.databaseUrl).pathname.slice(1);
    const snap = async () => ({
      t: Date.now(),
      worker: cpuTicks(workerPid),
      web: cpuTicks(webPid),
      db: (
        await q<{ xact_commit: string; tup_inserted: string; tup_updated: string }>(
          `SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = $1`,
          [dbName],
        )
      )[0],
    });
    const loadBefore = machineLoad();
    const a = await snap();
    await sleep(WINDOW_S * 1000);
    const b = await snap();
    const loadAfter = machineLoad();
    const seconds = (b.t - a.t) / 1000;

    const received = await Promise.all(
      pages.map((p) => p.evaluate(() => (window as unknown as { __convoySamples: Received[] }).__convoySamples)),
    );
    const stats = (await (await fetch(`${simOf(stack).control}/stats`)).json()) as {
      ssh: Record<string, { open: number; opened: number }>;
      jobInfoServed: Served;
    };
    const rows = await q<{ migrationId: string; vmName: string; at: Date; elapsedMs: number }>(
      `SELECT s."migrationId", m."vmName", s.at, s."elapsedMs" FROM "MigrationSample" s JOIN "LiveMigration" m ON m.id = s."migrationId" ORDER BY s.at`,
    );
    const states = await q<{ state: string; n: string }>(
      `SELECT state, count(*) n FROM "LiveMigration" GROUP BY state`,
    );
    const inWindow = (ms: number) => ms >= a.t && ms <= b.t;

    // Sampling rate per migration over the window: samples per second between its first and last.
    const perMigration = new Map<string, number[]>();
    for (const r of rows)
      if (inWindow(r.at.getTime()))
        perMigration.set(r.migrationId, [...(perMigration.get(r.migrationId) ?? []), r.at.getTime()]);
    const rates = ids
      .map((id) => {
        const ats = perMigration.get(id) ?? [];
        return ats.length < 2 ? 0 : (ats.length - 1) / (((ats.at(-1) ?? 0) - (ats[0] ?? 0)) / 1000);
      })
      .sort((x, y) => x - y);

    // Sim → Postgres: every job sample served in the window (minus a tick at each edge) is stored.
    const stored = new Set(rows.map((r) => `${r.vmName}|${r.elapsedMs}`));
    let served = 0;
    let notStored = 0;
    for (const [vm, stamps] of Object.entries(stats.jobInfoServed)) {
      for (const [elapsedMs, wallMs] of stamps) {
        if (wallMs < a.t + 2_000 || wallMs > b.t - 2_000) continue;
        served++;
        if (!stored.has(`${vm}|${elapsedMs}`)) notStored++;
      }
    }

    // Postgres → browsers: every stored sample of a watched migration between the first and last
    // one a stream received reached it; latency = receipt − the sim's stamp of that sample.
    const vmOf = new Map(rows.map((r) => [r.migrationId, r.vmName]));
    const latencies: number[] = [];
    let notReceived = 0;
    let receivedCount = 0;
    for (const stream of received) {
      const mine = stream.filter((s) => inWindow(s.recvMs));
      receivedCount += mine.length;
      const got = new Set(mine.map((s) => s.elapsedMs));
      const first = Math.min(...mine.map((s) => Date.parse(s.at)));
      const last = Math.max(...mine.map((s) => Date.parse(s.at)));
      const migrationId = stream[0]?.migrationId;
      for (const r of rows)
        if (r.migrationId === migrationId && r.at.getTime() >= first && r.at.getTime() <= last && !got.has(r.elapsedMs))
          notReceived++;
      for (const s of mine) {
        const stamp = stats.jobInfoServed[vmOf.get(s.migrationId) ?? ""]?.findLast(([e]) => e === s.elapsedMs);
        if (stamp) latencies.push(s.recvMs - stamp[1]);
      }
    }
    latencies.sort((x, y) => x - y);

    const ssh = Object.values(stats.ssh);
    const perS = (k: "xact_commit" | "tup_inserted" | "tup_updated") =>
      ((Number(b.db?.[k]) - Number(a.db?.[k])) / seconds).toFixed(0);
    const cores = (x: number, y: number) => (y - x) / clockTicks() / seconds;
    const workerCores = cores(a.worker, b.worker);
    const p95 = pct(latencies, 0.95);
    const lost = notStored + notReceived;
    const line = (k: string, v: string, target = "") => `  ${k.padEnd(34)} ${v.padEnd(34)} ${target}`;
    return [
      `${HOSTS} hosts, ${MIGRATIONS} migrations (${sampledAtStart} running and sampled before the window; at its end ${states.map((s) => `${s.n} ${s.state}`).join(", ")}), ${BROWSERS} browser streams; window ${seconds.toFixed(0)} s after ${WARMUP_S} s warm-up`,
      `machine before the window: ${loadBefore}`,
      `machine at its end:        ${loadAfter}`,
      line("worker CPU", `${workerCores.toFixed(2)} cores`, `target ≤ 1 core: ${workerCores <= 1 ? "ok" : "MISSED"}`),
      line("worker RSS", `${rssMiB(workerPid)} MiB`),
      line("web server CPU / RSS", `${cores(a.web, b.web).toFixed(2)} cores / ${rssMiB(webPid)} MiB`),
      line(
        "sampling rate per migration",
        `min ${rates[0]?.toFixed(3)} Hz, median ${pct(rates, 0.5).toFixed(3)} Hz`,
        `target 1 Hz (≥ 0.995 allows timer jitter): ${(rates[0] ?? 0) >= 0.995 ? "ok" : "MISSED"}`,
      ),
      line(
        "host → browser latency",
        `p50 ${pct(latencies, 0.5)} ms, p95 ${p95} ms, max ${latencies.at(-1) ?? "-"} ms`,
        `target p95 ≤ 2000 ms: ${p95 <= 2000 ? "ok" : "MISSED"}`,
      ),
      line("samples received by browsers", `${receivedCount} (${latencies.length} matched to a sim stamp)`),
      line(
        "samples lost",
        `${notStored} of ${served} served not stored, ${notReceived} stored not streamed`,
        `target 0: ${lost === 0 ? "ok" : "MISSED"}`,
      ),
      line(
        "SSH connections per host (sim)",
        `max open ${Math.max(...ssh.map((s) => s.open))}, hosts with one ${ssh.filter((s) => s.open === 1).length}/${HOSTS}, opened ${ssh.reduce((n, s) => n + s.opened, 0)}`,
        "target 1 per host",
      ),
      line(
        "Postgres",
        `${perS("xact_commit")} commits/s, ${perS("tup_inserted")} rows inserted/s, ${perS("tup_updated")} updated/s`,
      ),
    ].join("\n");
  } finally {
    await browser.close();
    await sql.end();
    if (process.env.CONVOY_BENCH_CPU_PROF) await stopAndWait(stack.pids().workers[0]); // the profile is written on exit
    await stack.stop();
  }
}

/** 500 hosts; VM i (16 GiB, idle: 576 MiB touched) on host i migrates to host 200 + i at 4 MiB/s: ~3 min or more. */
function fleet() {
  const name = (i: number) => `lh${String(i).padStart(3, "0")}`;
  return {
    seed: 7,
    hosts: Array.from({ length: HOSTS }, (_, i) => ({
      name: name(i),
      cpuModel: "Skylake-Server-IBRS",
      cores: 32,
      memoryGiB: 128,
      nicGbps: 10,
    })),
    vms: Array.from({ length: MIGRATIONS }, (_, i) => ({
      name: `lvm${String(i).padStart(3, "0")}`,
      host: name(i),
      vcpus: 2,
      memoryMiB: 16 * 1024,
      profile: "idle",
      disks: [{ target: "vda", sizeGiB: 20, storage: "shared" }],
    })),
  };
}

/** Queues every migration the way startMigrationAction does (reservation, one active per VM). */
async function enqueueAll(databaseUrl: string): Promise<string[]> {
  process.env.DATABASE_URL = databaseUrl;
  const { disconnectDb, transaction } = await import("@/lib/db/client");
  const { hostIdsByName, vmsNamed } = await import("@/lib/db/bench");
  const { enqueueMigration } = await import("@/lib/db/enqueue-migration");
  const { launchOptions } = await import("@/lib/schemas/migrations");
  const hosts = await hostIdsByName();
  const vms = await vmsNamed("lvm");
  const options = launchOptions.parse({ bandwidthMiB: 4 });
  const ids: string[] = [];
  for (const vm of vms) {
    const dest = hosts.get(`lh${String(Number(vm.host.name.slice(2)) + MIGRATIONS).padStart(3, "0")}`) ?? "";
    const row = await transaction((tx) =>
      enqueueMigration(tx, {
        vmUuid: vm.uuid,
        vmName: vm.name,
        sourceHostId: vm.hostId,
        destHostId: dest,
        memoryBytes: vm.memoryBytes,
        vcpus: vm.vcpus,
        options,
        policyName: "default",
      }),
    );
    ids.push(row.id);
  }
  await disconnectDb();
  return ids;
}

async function stopAndWait(pid: number | undefined): Promise<void> {
  if (!pid) return;
  process.kill(pid, "SIGTERM");
  await waitFor("the worker to exit", 30, async () => !existsSync(`/proc/${pid}`)).catch(() => {});
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
function cpuTicks(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function rssMiB(pid: number | undefined): string {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return (Number(kb) / 1024).toFixed(0);
}

let ticks: number | undefined;
function clockTicks(): number {
  ticks ??= Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  return ticks;
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) : Number.NaN;
}
