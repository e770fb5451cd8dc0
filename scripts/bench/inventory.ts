// Issue 15.7 inventory bench: 2,000 simulated hosts (real SSH servers speaking virsh 9.0, 4 domains
// each) refreshed every 10 s by 1 and then 2 workers on one Postgres. Prints hosts refreshed per
// second, the staleness of the fleet (how long ago each host was last read) and the VM rows each
// refresh wrote — counted by Postgres (pg_stat_user_tables), not by Convoy — and the CPU the workers
// and the simulator spent per refresh (from /proc: robust to other load on a shared machine, unlike
// hosts/s). CONVOY_BENCH_CPU_PROF=<dir> writes the first worker's V8 CPU profile of each window there.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startStack } from "../lib/stack";
import { machineLoad, sleep, waitFor } from "./util";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HOSTS = Number(process.env.CONVOY_BENCH_INVENTORY_HOSTS ?? 2000);
const VMS_PER_HOST = 4;
const WINDOW_S = Number(process.env.CONVOY_BENCH_INVENTORY_SECONDS ?? 30);
const INTERVAL_MS = 10_000;
const PROFILE_DIR = process.env.CONVOY_BENCH_CPU_PROF && path.resolve(process.env.CONVOY_BENCH_CPU_PROF);

export async function benchInventory(): Promise<string> {
  const dataDir = path.join(ROOT, ".data", "bench-inventory");
  mkdirSync(dataDir, { recursive: true });
  const fleetFile = path.join(dataDir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(fleet()));
  const stack = await startStack({
    dataDir,
    pgPort: Number(process.env.CONVOY_BENCH_PG_PORT ?? 45442),
    dbName: "convoy_bench_inventory",
    fleetFile,
    simBasePort: 0,
    simControlPort: 0,
    webPort: Number(process.env.CONVOY_BENCH_WEB_PORT ?? 45310),
    webServers: 0,
    workers: 2,
    timeScale: 1,
    resetDatabase: true,
    users: [],
    workerEnv: {
      CONVOY_INVENTORY_INTERVAL_MS: String(INTERVAL_MS),
      ...(PROFILE_DIR && { CONVOY_WORKER_CPU_PROFILE_DIR: PROFILE_DIR }),
    },
    quiet: !process.env.CONVOY_BENCH_VERBOSE,
  });
  const sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
  const q = async <T extends pg.QueryResultRow>(text: string) => (await sql.query<T>(text)).rows;
  const lines = [
    `${HOSTS} hosts × ${VMS_PER_HOST} domains, refresh interval ${INTERVAL_MS / 1000} s, ${WINDOW_S} s windows`,
  ];
  try {
    await waitFor(
      "every host's first inventory",
      600,
      async () =>
        Number((await q<{ n: string }>(`SELECT count(*) n FROM "Host" WHERE "lastSeenAt" IS NOT NULL`))[0]?.n) ===
        HOSTS,
    );
    for (const workers of [1, 2]) {
      if (workers === 1) await stack.killWorker(1);
      else await stack.restartWorker({ index: 1 });
      // Settle into the new rhythm: a fresh worker process needs a few seconds to start.
      await sleep(INTERVAL_MS);
      await waitFor(
        "the fleet read within two intervals",
        120,
        async () => ((await staleness(q))[0]?.max ?? Infinity) < (2 * INTERVAL_MS) / 1000,
      ).catch(() => {});
      const counters = async () =>
        (
          await q<{ relname: string; upd: string; ins: string; del: string }>(
            `SELECT relname, n_tup_upd::text upd, n_tup_ins::text ins, n_tup_del::text del FROM pg_stat_user_tables WHERE relname IN ('Host', 'Vm')`,
          )
        ).reduce<Record<string, number>>((acc, r) => {
          acc[`${r.relname}.upd`] = Number(r.upd);
          acc[`${r.relname}.rows`] = Number(r.upd) + Number(r.ins) + Number(r.del);
          return acc;
        }, {});
      const load = machineLoad();
      const pids = [...stack.pids().workers.slice(0, workers), ...simPids(fleetFile)];
      const cpu0 = pids.map(cpuMs);
      // Starts (and after the window writes) the first worker's CPU profile, when asked for.
      const profile = () => PROFILE_DIR && pids[0] && process.kill(pids[0], "SIGUSR2");
      profile();
      const a = await counters();
      const t0 = Date.now();
      await sleep(WINDOW_S * 1000);
      const b = await counters();
      profile();
      const cpu = pids.map((pid, i) => cpuMs(pid) - (cpu0[i] ?? 0));
      const seconds = (Date.now() - t0) / 1000;
      // pg_stat counters are flushed by backends at most once a second: read them after a pause.
      const stale = await staleness(q);
      // Each successful refresh updates its Host row twice: the claim (lastCheckedAt) and the save.
      const refreshes = ((b["Host.upd"] ?? 0) - (a["Host.upd"] ?? 0)) / 2;
      const vmRows = (b["Vm.rows"] ?? 0) - (a["Vm.rows"] ?? 0);
      const s = stale[0];
      lines.push(
        `${workers} worker${workers > 1 ? "s" : ""}: ${(refreshes / seconds).toFixed(0)} hosts refreshed/s (needed: ${(HOSTS / (INTERVAL_MS / 1000)).toFixed(0)}/s)   ` +
          `last read p50 ${s?.p50.toFixed(1)} s, p95 ${s?.p95.toFixed(1)} s, oldest ${s?.max.toFixed(1)} s ago (target ≤ 10 s)   ` +
          `VM rows written per refresh ${(vmRows / Math.max(1, refreshes)).toFixed(2)} (${vmRows} in ${refreshes.toFixed(0)} refreshes; the fleet did not change)`,
        `  worker CPU ms per host ${perHost(cpu.slice(0, workers), refreshes)}   simulator CPU ms per host ${perHost(cpu.slice(workers), refreshes)}`,
        `  machine while measuring: ${load}`,
      );
    }
  } finally {
    await sql.end();
    await stack.stop();
  }
  return lines.join("\n");
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
function cpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

const perHost = (ms: number[], refreshes: number) =>
  (ms.reduce((a, b) => a + b, 0) / Math.max(1, refreshes)).toFixed(2);

/** The simulator's processes (the stack does not hand out its pid): those running this bench's fleet file. */
function simPids(fleetFile: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
        return cmd.includes("sim/main.ts") && cmd.includes(fleetFile);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** How long ago each host was last read: p50, p95 and the oldest, in seconds. */
function staleness(q: <T extends pg.QueryResultRow>(text: string) => Promise<T[]>) {
  return q<{ p50: number; p95: number; max: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY s) p95, max(s) max
     FROM (SELECT extract(epoch FROM now() - "lastSeenAt")::float8 s FROM "Host") x`,
  );
}

function fleet() {
  const name = (i: number) => `ih${String(i).padStart(4, "0")}`;
  return {
    seed: 15,
    hosts: Array.from({ length: HOSTS }, (_, i) => ({
      name: name(i),
      cpuModel: "Skylake-Server-IBRS",
      cores: 32,
      memoryGiB: 256,
      nicGbps: 25,
    })),
    vms: Array.from({ length: HOSTS * VMS_PER_HOST }, (_, i) => ({
      name: `ivm${String(i).padStart(5, "0")}`,
      host: name(Math.floor(i / VMS_PER_HOST)),
      vcpus: 2,
      memoryMiB: 4096,
      profile: "idle",
      disks: [{ target: "vda", sizeGiB: 20, storage: "shared" }],
    })),
  };
}
