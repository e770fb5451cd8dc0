// `npm run bench -- lab` (root; needs the lab: `lab/lab.sh setup`): real migrations between the
// lab's two QEMU 7.2 / libvirt 9.0 hosts, across guest sizes, idle / rate-limited / CPU-bound
// writers, capped and uncapped. Before each one, Convoy's own pre-launch code measures the guest
// over SSH exactly as the console does (the guest's resident RAM for the bytes to send, domdirtyrate-calc windows
// planned by lib/migration/dirty-sampling) and the what-if engine predicts total time, downtime,
// data and the verdict (launchVerdict); then `virsh migrate` runs with Convoy's flags and the
// destination's `domjobinfo --completed` gives the truth. A job still copying after NO_CONVERGE_S
// is aborted and counted "did not converge". Every prediction uses what Convoy learns from the
// completed runs before it — the path's throughput and the job's cost beyond its transfer
// (lib/migration/path-throughput) — as the console does per host pair.
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { dirtyWindowPlan, readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { launchVerdict } from "@/lib/migration/launch-verdict";
import {
  ASSUMED_JOB_OVERHEAD_MS,
  type CompletedRun,
  learnedJobOverheadMs,
  learnedPathThroughput,
} from "@/lib/migration/path-throughput";
import type { WhatIfState } from "@/lib/migration/what-if";
import { measureDirtyRate, measureSendBytes } from "@/lib/migration-ops/dirty-rate";
import { getSshPool, type SshTarget } from "@/lib/ssh/pool";
import { parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { median } from "./report";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LAB_ROOT = process.env.LAB_ROOT ?? "/var/lib/convoy-lab";
const MiB = 1024 ** 2;
/** Without a learned path, the console can only assume the NIC's nominal speed (10 GbE). */
const NOMINAL_BPS = 1.16 * 1024 ** 3;
const MAX_DOWNTIME_MS = 300;
const NO_CONVERGE_S = 90;

type Case = {
  name: string;
  memMiB: number;
  dirtyMiB: number;
  rateMiBps: number;
  work: number;
  capMiBps: number | null;
};

// Capped first: the uncapped ones then have a path throughput learned from them.
const CASES: Case[] = [
  { name: "idle-256-cap16", memMiB: 256, dirtyMiB: 0, rateMiBps: 0, work: 0, capMiBps: 16 },
  { name: "idle-512-cap32", memMiB: 512, dirtyMiB: 0, rateMiBps: 0, work: 0, capMiBps: 32 },
  { name: "w32@2-256-cap8", memMiB: 256, dirtyMiB: 32, rateMiBps: 2, work: 0, capMiBps: 8 },
  { name: "w64@4-384-cap16", memMiB: 384, dirtyMiB: 64, rateMiBps: 4, work: 0, capMiBps: 16 },
  { name: "cpu128-256-cap8", memMiB: 256, dirtyMiB: 128, rateMiBps: 0, work: 8000, capMiBps: 8 },
  { name: "cpu64-384-cap16", memMiB: 384, dirtyMiB: 64, rateMiBps: 0, work: 8000, capMiBps: 16 },
  { name: "idle-384-uncapped", memMiB: 384, dirtyMiB: 0, rateMiBps: 0, work: 0, capMiBps: null },
  { name: "w32@8-384-uncapped", memMiB: 384, dirtyMiB: 32, rateMiBps: 8, work: 0, capMiBps: null },
];

const lab = (...argv: string[]) =>
  execFileSync(path.join(ROOT, "lab/lab.sh"), argv, {
    encoding: "utf8",
    timeout: 120_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
const onHost = (host: string, ...argv: string[]) => lab("in", host, ...argv);
const quiet = (host: string, ...argv: string[]) => {
  try {
    return onHost(host, ...argv);
  } catch {
    return "";
  }
};
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function target(host: "hv1" | "hv2"): SshTarget {
  const [address, port] = host === "hv1" ? ["127.0.0.21", 2221] : ["127.0.0.22", 2222];
  const pub = `${LAB_ROOT}/hosts/${host}/sshd/ssh_host_ed25519_key.pub`;
  const fingerprint = execFileSync("ssh-keygen", ["-lf", pub], { encoding: "utf8" }).split(" ")[1] ?? "";
  return {
    hostId: host,
    name: host,
    address,
    port,
    username: "root",
    privateKey: readFileSync(`${LAB_ROOT}/keys/id_ed25519`, "utf8"),
    pinnedFingerprint: fingerprint,
  };
}

function cleanup(vm: string): void {
  for (const h of ["hv1", "hv2"]) {
    quiet(h, "virsh", "destroy", vm);
    quiet(h, "virsh", "undefine", vm);
  }
}

/** Defines and starts the guest on hv1; resolves once its writer runs (or, idle, once it beats). */
async function boot(c: Case): Promise<void> {
  cleanup(c.name);
  const xml = execFileSync(
    path.join(ROOT, "lab/make-domain.sh"),
    [c.name, String(c.dirtyMiB), String(c.rateMiBps), String(c.memMiB), String(c.work)],
    { encoding: "utf8" },
  );
  const file = `${LAB_ROOT}/${c.name}.xml`;
  execFileSync("sh", ["-c", `cat > ${file}`], { input: xml });
  const log = `/var/log/libvirt/qemu/${c.name}-serial.log`;
  quiet("hv1", "truncate", "-s", "0", log);
  onHost("hv1", "virsh", "define", file);
  onHost("hv1", "virsh", "start", c.name);
  const ready = c.dirtyMiB > 0 ? /dirtier: t=\d+s/ : /miglab: heartbeat/;
  for (let i = 0; i < 90; i++) {
    if (ready.test(quiet("hv1", "cat", log))) return sleep(c.dirtyMiB > 0 ? 3000 : 5000);
    await sleep(1000);
  }
  throw new Error(`${c.name} did not boot in 90 s`);
}

type Predicted = {
  verdict: string;
  totalMs: number | null;
  downtimeMs: number | null;
  bytes: number | null;
  sendBytes: number;
  dirtyBps: number;
  pathBps: number;
};

/** The console's measurement and prediction (lib/migration-ops/predict.ts, prediction-panel.tsx). */
async function predict(
  c: Case,
  t: SshTarget,
  learnedBps: number | null,
  jobOverheadMs: number | null,
): Promise<Predicted> {
  const uri = "qemu:///system";
  const memoryBytes = c.memMiB * MiB;
  const sendBytes = await measureSendBytes(t, uri, c.name, memoryBytes);
  const pathBps = learnedBps ?? NOMINAL_BPS;
  const capBps = c.capMiBps ? c.capMiBps * MiB : null;
  const windows = [];
  for (const s of dirtyWindowPlan(sendBytes / Math.min(pathBps, capBps ?? Number.POSITIVE_INFINITY)))
    windows.push(await measureDirtyRate(t, uri, c.name, s));
  const e = readDirtyWindows(windows, memoryBytes, sendBytes);
  const state: WhatIfState = {
    memoryBytes: sendBytes,
    zeroBytes: memoryBytes - sendBytes,
    pendingBytes: null,
    dirtyRateBps: e.dirtyRateBps,
    workingSetBytes: e.workingSetBytes,
    pathBps,
    capBps,
    maxDowntimeMs: MAX_DOWNTIME_MS,
    autoConverge: null,
    throttlePct: 0,
    jobOverheadMs: jobOverheadMs ?? ASSUMED_JOB_OVERHEAD_MS,
  };
  const v = launchVerdict(state, e);
  return {
    verdict: v.verdict,
    totalMs: v.outcome.totalTimeMs,
    downtimeMs: v.outcome.downtimeMs,
    bytes: v.outcome.bytesSent,
    sendBytes,
    dirtyBps: e.dirtyRateBps,
    pathBps,
  };
}

type Actual = {
  converged: boolean;
  totalMs: number | null;
  downtimeMs: number | null;
  bytes: number | null;
  iterations: number | null;
  /** QEMU's rate over its transfer (bytes / (its total time − setup)), from the completed record. */
  transferBps: number | null;
};

/** `virsh migrate` with Convoy's flags; the destination's completed job is the truth. */
async function migrate(c: Case): Promise<Actual> {
  const argv = [
    "in",
    "hv1",
    "virsh",
    "-c",
    "qemu:///system",
    "migrate",
    "--live",
    "--p2p",
    "--persistent",
    "--undefinesource",
    ...(c.capMiBps ? ["--bandwidth", String(c.capMiBps)] : []),
    c.name,
    "qemu+ssh://hv2/system",
  ];
  const child = spawn(path.join(ROOT, "lab/lab.sh"), argv, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += String(d)));
  const exit = new Promise<number>((r) => child.on("exit", (code) => r(code ?? 1)));
  const timer = setTimeout(() => quiet("hv1", "virsh", "domjobabort", c.name), NO_CONVERGE_S * 1000);
  const code = await exit;
  clearTimeout(timer);
  if (code !== 0) {
    if (/abort|End of file/i.test(err))
      return { converged: false, totalMs: null, downtimeMs: null, bytes: null, iterations: null, transferBps: null };
    throw new Error(`${c.name}: virsh migrate failed: ${err.trim()}`);
  }
  const j = parseDomJobInfo(onHost("hv2", "virsh", "domjobinfo", c.name, "--completed", "--rawstats"));
  return {
    converged: true,
    totalMs: j.timeElapsedMs ?? null,
    downtimeMs: j.downtimeMs ?? null,
    bytes: j.dataProcessedBytes ?? null,
    iterations: j.iteration ?? null,
    transferBps: j.memoryBytesPerSecond ?? null,
  };
}

const pct = (p: number | null, a: number | null) =>
  p === null || a === null || a === 0 ? null : (Math.abs(p - a) / a) * 100;
const s = (ms: number | null) => (ms === null ? "—" : `${(ms / 1000).toFixed(1)} s`);
const bw = (bps: number | null) => (bps === null ? "—" : (bps / MiB).toFixed(0));
const fixedMs = (a: Actual) =>
  a.totalMs === null || a.bytes === null || !a.transferBps ? null : a.totalMs - (a.bytes / a.transferBps) * 1000;
const mb = (b: number | null) => (b === null ? "—" : `${(b / MiB).toFixed(0)} MiB`);

export async function benchLab(): Promise<string> {
  // Convoy's SSH pool reads its settings through lib/env, which requires a database URL; this
  // bench talks only to the lab's hosts and never opens it.
  process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:9/unused";
  const t = target("hv1");
  const runs: CompletedRun[] = [];
  const rows: string[] = [];
  const errors: number[] = [];
  let right = 0;
  for (const c of CASES) {
    await boot(c);
    const p = await predict(c, t, learnedPathThroughput(runs), learnedJobOverheadMs(runs));
    const a = await migrate(c);
    cleanup(c.name);
    if (a.converged && a.totalMs !== null && a.bytes !== null)
      runs.push({
        processedBytes: a.bytes,
        totalTimeMs: a.totalMs,
        capBps: c.capMiBps ? c.capMiBps * MiB : null,
        memoryBytes: c.memMiB * MiB,
        transferBps: a.transferBps,
      });
    // GO must converge, NO-GO must not; "uncertain" is never counted right.
    const ok = (p.verdict === "go" && a.converged) || (p.verdict === "no-go" && !a.converged);
    if (ok) right++;
    const err = a.converged ? pct(p.totalMs, a.totalMs) : null;
    if (err !== null) errors.push(err);
    rows.push(
      `${c.name.padEnd(20)} ${mb(p.sendBytes).padStart(8)} ${`${(p.dirtyBps / MiB).toFixed(1)}`.padStart(6)} ${`${(p.pathBps / MiB).toFixed(0)}`.padStart(6)} | ${p.verdict.padEnd(9)} ${s(p.totalMs).padStart(8)} ${`${p.downtimeMs?.toFixed(0) ?? "—"}`.padStart(6)} ${mb(p.bytes).padStart(8)} | ${(a.converged ? "converged" : `no (${NO_CONVERGE_S} s)`).padEnd(11)} ${s(a.totalMs).padStart(8)} ${`${a.downtimeMs ?? "—"}`.padStart(6)} ${mb(a.bytes).padStart(8)} ${String(a.iterations ?? "—").padStart(4)} ${bw(a.transferBps).padStart(6)} ${s(fixedMs(a)).padStart(7)} | ${err === null ? "—" : `${err.toFixed(0)} %`} ${ok ? "" : "  VERDICT WRONG"}`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  await getSshPool().closeAll();
  const head = `${"case".padEnd(20)} ${"send".padStart(8)} ${"dirty".padStart(6)} ${"path".padStart(6)} | ${"predicted".padEnd(9)} ${"time".padStart(8)} ${"down".padStart(6)} ${"data".padStart(8)} | ${"actual".padEnd(11)} ${"time".padStart(8)} ${"down".padStart(6)} ${"data".padStart(8)} ${"iter".padStart(4)} ${"bw".padStart(6)} ${"fixed".padStart(7)} | time err`;
  const units =
    "  (send: the guest's non-zero RAM (QEMU's smaps, narrowed by sampled pages); dirty: measured MiB/s; path: MiB/s assumed, learned from earlier runs; down: ms; bw: QEMU's transfer rate, MiB/s; fixed: time − data / bw, the job's cost outside its transfer)";
  const summary = `median total-time error ${errors.length ? median(errors).toFixed(1) : "—"} % over ${errors.length} runs that converged (target ≤ 25 %); verdicts right ${right} of ${CASES.length} (target: all)`;
  return [head, units, ...rows, summary].join("\n");
}
