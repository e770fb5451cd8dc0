// `virsh migrate`: validates options like virsh, starts the job through the engine and blocks
// until it ends, as the real client does. If the virsh process is killed or loses its SSH
// channel, a client-driven (non --p2p) migration is cancelled by libvirt; a --p2p one lives on
// in the source libvirtd (a managed job dies with its virsh client, a --p2p one does not; captures s5a/s9).
import type { MigrateFlags, MigrationOutcome } from "../migration/job";
import { stableInt } from "../model/ids";
import { type CommandDef, lookupDomain } from "./context";
import { ERR, VirshError } from "./errors";
import { exclusive, flag, int, type OptDef, type ParsedArgs, requires, str } from "./options";

/** Raised when the virsh process is terminated: no output, exit status 143. */
export class VirshTerminated extends Error {}

const BOOLS = [
  "live",
  "offline",
  "p2p",
  "direct",
  "tunnelled",
  "persistent",
  "undefinesource",
  "suspend",
  "copy-storage-all",
  "copy-storage-inc",
  "copy-storage-synchronous-writes",
  "change-protection",
  "unsafe",
  "verbose",
  "compressed",
  "auto-converge",
  "rdma-pin-all",
  "abort-on-error",
  "postcopy",
  "postcopy-after-precopy",
  "postcopy-resume",
  "zerocopy",
  "parallel",
  "tls",
  "timeout-suspend",
  "timeout-postcopy",
];
const STRINGS = [
  "graphicsuri",
  "listen-address",
  "dname",
  "xml",
  "persistent-xml",
  "migrate-disks",
  "disks-uri",
  "comp-methods",
  "tls-destination",
];
const INTS = [
  "timeout",
  "disks-port",
  "comp-mt-level",
  "comp-mt-threads",
  "comp-mt-dthreads",
  "comp-xbzrle-cache",
  "comp-zlib-level",
  "comp-zstd-level",
  "auto-converge-initial",
  "auto-converge-increment",
  "postcopy-bandwidth",
  "parallel-connections",
  "bandwidth",
];

const OPTS: OptDef[] = [
  ...BOOLS.map(flag),
  { name: "domain", type: "data", required: true },
  { name: "desturi", type: "data", required: true },
  str("migrateuri", { positional: true }),
  ...STRINGS.map((s) => str(s)),
  ...INTS.map((i) => int(i)),
];

export const migrateCommand: CommandDef = {
  name: "migrate",
  opts: OPTS,
  mutates: "virDomainMigratePerform3Params",
  async run(ctx, a) {
    exclusive(a, "live", "offline");
    exclusive(a, "copy-storage-all", "copy-storage-inc");
    exclusive(a, "timeout-suspend", "timeout-postcopy");
    requires(a, "timeout-suspend", "timeout");
    requires(a, "timeout-postcopy", "timeout");
    requires(a, "timeout-postcopy", "postcopy");
    requires(a, "postcopy-after-precopy", "postcopy");
    requires(a, "parallel-connections", "parallel");
    const flags = parseFlags(a);
    const d = lookupDomain(ctx, a);
    if (a.bool("offline")) throw new VirshError("Operation not supported: offline migration is not simulated");

    const engine = ctx.fleet.engine;
    const { term, hangup } = ctx.proc;
    const killed = new AbortController();
    const onKill = () => killed.abort();
    term.addEventListener("abort", onKill, { once: true });
    hangup.addEventListener("abort", onKill, { once: true });
    try {
      if (killed.signal.aborted) throw new VirshTerminated();
      const job = await engine.start(ctx.host, d, a.str("desturi") ?? "", flags, killed.signal).catch((e: unknown) => {
        if (killed.signal.aborted) throw new VirshTerminated();
        throw e;
      });
      const verbose = a.bool("verbose");
      const progress = verbose
        ? setInterval(() => {
            const s = job.physics.jobStats();
            const total = s.data_total ?? 0;
            const rem = s.data_remaining ?? 0;
            const pct = rem === 0 ? 100 : Math.min(99, Math.max(0, Math.floor(100 - (rem * 100) / Math.max(1, total))));
            ctx.err(`\rMigration: [${String(pct).padStart(3)} %]`);
          }, 500)
        : undefined;
      const stopped = new Promise<"killed">((resolve) => {
        if (killed.signal.aborted) resolve("killed");
        killed.signal.addEventListener("abort", () => resolve("killed"), { once: true });
      });
      const result: MigrationOutcome | "killed" = await Promise.race([job.outcome, stopped]);
      if (progress) clearInterval(progress);
      if (result === "killed") {
        // The client-driven protocol needs virsh for the later phases: libvirt cancels without it.
        if (!flags.p2p) engine.clientGone(job);
        throw new VirshTerminated();
      }
      if (result.kind === "completed") {
        if (verbose) ctx.err("\rMigration: [100 %]");
        return;
      }
      // An aborted --p2p job: libvirt 9.0 races the p2p link closing against the job's error, so
      // virsh prints either text (about half each in the lab, with or without --verbose); one per
      // job, fixed by the fleet's seed.
      if (result.kind === "cancelled")
        throw new VirshError(
          flags.p2p && stableInt(ctx.fleet.seed, 2, "p2p-abort", String(job.id)) === 0 ? ERR.abortedP2p : ERR.aborted,
        );
      throw new VirshError(...result.lines);
    } finally {
      term.removeEventListener("abort", onKill);
      hangup.removeEventListener("abort", onKill);
    }
  },
};

function parseFlags(a: ParsedArgs): MigrateFlags {
  const timeout = a.int("timeout");
  if (timeout !== undefined && timeout < 1) throw new VirshError("migrate: Invalid timeout");
  const initial = a.int("auto-converge-initial");
  const increment = a.int("auto-converge-increment");
  for (const [n, v] of [
    ["auto-converge-initial", initial],
    ["auto-converge-increment", increment],
  ] as const) {
    if (v !== undefined && (v < 1 || v > 99)) {
      throw new VirshError(
        `internal error: unable to execute QEMU command 'migrate-set-parameters': Parameter '${n === "auto-converge-initial" ? "cpu_throttle_initial" : "cpu_throttle_increment"}' expects an integer in the range of 1 to 99`,
      );
    }
  }
  const flags: MigrateFlags = {
    live: a.bool("live"),
    p2p: a.bool("p2p"),
    tunnelled: a.bool("tunnelled"),
    persistent: a.bool("persistent"),
    undefineSource: a.bool("undefinesource"),
    autoConverge: a.bool("auto-converge"),
    postcopy: a.bool("postcopy"),
    postcopyAfterPrecopy: a.bool("postcopy-after-precopy"),
    copyStorageAll: a.bool("copy-storage-all"),
    copyStorageInc: a.bool("copy-storage-inc"),
    unsafe: a.bool("unsafe"),
  };
  if (initial !== undefined) flags.autoConvergeInitial = initial;
  if (increment !== undefined) flags.autoConvergeIncrement = increment;
  const bw = a.uint("bandwidth");
  if (bw !== undefined && bw > 0) flags.bandwidthMiB = bw;
  const pbw = a.uint("postcopy-bandwidth");
  if (pbw !== undefined && pbw > 0) flags.postcopyBandwidthMiB = pbw;
  if (timeout !== undefined)
    flags.timeout = { seconds: timeout, action: a.bool("timeout-postcopy") ? "postcopy" : "suspend" };
  const disks = a.str("migrate-disks");
  if (disks !== undefined) flags.migrateDisks = disks.split(",").filter((s) => s !== "");
  const par = a.uint("parallel-connections");
  if (a.bool("parallel")) flags.parallelConnections = par ?? 2;
  return flags;
}
