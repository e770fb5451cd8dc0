// Pure argv builders for every virsh call Convoy makes. Each returns ["virsh", "-c", uri, ...]:
// the URI is always explicit so nothing depends on the remote user's LIBVIRT_DEFAULT_URI. The argv
// is quoted once, by lib/ssh/quote, when it is sent. Argument order follows the captured commands
// in fixtures/ so the simulated fleet can answer exactly what real virsh 9.0 was asked.
import { parseJsonLimited } from "@/lib/parse/safe-parse";
import { commandLine, quoteArg } from "@/lib/ssh/quote";
import { VirshArgError } from "./errors";
import { diskTargetArg, domainArg, hmpWordArg, intArg, logPathArg, uriArg, uriHostArg } from "./validate";

/** libvirt's "no limit" for migration bandwidth in MiB/s (INT64_MAX / 1 MiB); getspeed reports it. */
export const UNLIMITED_BANDWIDTH_MIB = 8796093022207;
/** QEMU's downtime-limit ceiling (2000 s) in ms. */
export const MAX_DOWNTIME_MS = 2_000_000;
// virsh multiplies --timeout by 1000 into an int and refuses anything larger.
const MAX_TIMEOUT_S = Math.floor(2147483647 / 1000);

function virsh(uri: string, ...args: string[]): string[] {
  return ["virsh", "-c", uriArg(uri), ...args];
}

export const virshVersion = (uri: string): string[] => virsh(uri, "version");
export const nodeInfo = (uri: string): string[] => virsh(uri, "nodeinfo");
export const capabilities = (uri: string): string[] => virsh(uri, "capabilities");
export const listAll = (uri: string): string[] => virsh(uri, "list", "--all");
export const nodeMemStats = (uri: string): string[] => virsh(uri, "nodememstats");
export const domInfo = (uri: string, dom: string): string[] => virsh(uri, "dominfo", domainArg(dom));
export const dumpXml = (uri: string, dom: string): string[] => virsh(uri, "dumpxml", domainArg(dom));
/** `--details` adds the type and device columns; it does *not* say which disks are read-only. */
export const domBlkList = (uri: string, dom: string): string[] => virsh(uri, "domblklist", domainArg(dom), "--details");
export const domState = (uri: string, dom: string): string[] => virsh(uri, "domstate", domainArg(dom), "--reason");
export const suspend = (uri: string, dom: string): string[] => virsh(uri, "suspend", domainArg(dom));
export const resume = (uri: string, dom: string): string[] => virsh(uri, "resume", domainArg(dom));
/** Refused by libvirt once the migration is in post-copy (the VM would be lost). */
export const domJobAbort = (uri: string, dom: string): string[] => virsh(uri, "domjobabort", domainArg(dom));
/** Only valid when the migration was started with `--postcopy`. */
export const migratePostcopy = (uri: string, dom: string): string[] => virsh(uri, "migrate-postcopy", domainArg(dom));

export type DomStatsGroup =
  | "state"
  | "cpu-total"
  | "balloon"
  | "vcpu"
  | "interface"
  | "block"
  | "perf"
  | "iothread"
  | "memory"
  | "dirtyrate";

/**
 * Whole-host `domstats --list-active`: one call gives state, vCPUs, balloon memory and disks of every
 * running domain (fixture inventory-hv1-domstats-list-active.txt). Shut-off domains are left out:
 * take them from `list --all`. `groups` narrows the output (and the QMP traffic it causes).
 */
export function domStats(uri: string, opts: { groups?: DomStatsGroup[]; includeInactive?: boolean } = {}): string[] {
  const groups = (opts.groups ?? []).map((g) => `--${g}`);
  return virsh(uri, "domstats", ...groups, ...(opts.includeInactive ? [] : ["--list-active"]));
}

/** One domain's state and CPU time (state.*, cpu.time, vcpu.N.time): is a landed guest running? */
export const domStatsGuest = (uri: string, dom: string): string[] =>
  virsh(uri, "domstats", domainArg(dom), "--state", "--cpu-total", "--vcpu");

/**
 * QEMU guest agent liveness: prints `{"return":{}}`; fails ("Guest agent is not responding …")
 * when the agent does not answer. Only for domains with an org.qemu.guest_agent.0 channel.
 */
export const guestAgentPing = (uri: string, dom: string): string[] =>
  virsh(uri, "qemu-agent-command", domainArg(dom), '{"execute":"guest-ping"}', "--timeout", "5");

/** Result of the last `domdirtyrate-calc` (dirtyrate.* keys, MiB/s). */
export const domStatsDirtyRate = (uri: string, dom: string): string[] =>
  virsh(uri, "domstats", domainArg(dom), "--dirtyrate");

/**
 * Job statistics, always `--rawstats` (exact integers, no unit prettifying). `completed` reads the
 * last finished job; without `keepCompleted` libvirt deletes those stats on read.
 */
export function domJobInfo(
  uri: string,
  dom: string,
  opts: { completed?: boolean; keepCompleted?: boolean } = {},
): string[] {
  if (opts.keepCompleted && !opts.completed) throw new VirshArgError("keepCompleted", "requires completed");
  const extra = opts.completed ? ["--completed", ...(opts.keepCompleted ? ["--keep-completed"] : [])] : [];
  return virsh(uri, "domjobinfo", domainArg(dom), "--rawstats", ...extra);
}

/**
 * Waits for the domain's next `job-completed` event and prints it (`--timestamp`: each event line
 * starts with libvirt's time), then exits; or exits after timeoutS with none. The event is the one
 * place a post-copy migration's completed statistics survive with --undefinesource (lab, libvirt
 * 9.0: the source domain is gone and the destination's `domjobinfo --completed` says "Job type: None").
 */
export function jobCompletedEvent(uri: string, dom: string, timeoutS: number): string[] {
  return virsh(
    uri,
    "event",
    "--domain",
    domainArg(dom),
    "--event",
    "job-completed",
    "--timestamp",
    "--timeout",
    intArg(timeoutS, "timeoutS", 1, 2_147_483),
  );
}

export type MigrateOptions = {
  /**
   * Peer-to-peer (default true): the source libvirtd drives the job, so it survives our SSH session
   * dying. Without it the virsh client drives it and killing the client cancels the migration
   * (a managed migration is cancelled when its virsh client dies; a --p2p one survives; captures s5a/s9).
   */
  p2p?: boolean;
  tunnelled?: boolean;
  /** Define the domain on the destination (otherwise it is transient there). */
  persistent?: boolean;
  /** Remove the definition from the source (otherwise it stays as `shut off (migrated)`). */
  undefineSource?: boolean;
  /** Must be chosen at start: QEMU refuses capability changes while a migration runs. */
  autoConverge?: boolean | { initial?: number; increment?: number };
  /** Arms post-copy; migrate-postcopy / timeout "postcopy" only work with it. */
  postcopy?: boolean;
  postcopyBandwidthMiB?: number;
  bandwidthMiB?: number;
  timeout?: { seconds: number; action: "suspend" | "postcopy" };
  copyStorageAll?: boolean;
  /** Targets to copy with copyStorageAll (default: libvirt copies all writable local disks). */
  migrateDisks?: string[];
  parallelConnections?: number;
  compressed?: boolean;
  tls?: boolean;
  /** Progress "Migration: [ 47 %]" on stdout, for the detached log (parse-migrate-log). */
  verbose?: boolean;
};

/** `virsh migrate --live …` — always live: Convoy never does offline moves. */
export function migrate(uri: string, dom: string, destUri: string, opts: MigrateOptions = {}): string[] {
  const a: string[] = ["--live"];
  const p2p = opts.p2p ?? true;
  if (p2p) a.push("--p2p");
  if (opts.tunnelled) {
    if (!p2p) throw new VirshArgError("tunnelled", "requires p2p");
    a.push("--tunnelled");
  }
  if (opts.persistent) a.push("--persistent");
  if (opts.undefineSource) a.push("--undefinesource");
  if (opts.autoConverge) {
    a.push("--auto-converge");
    const ac = opts.autoConverge === true ? {} : opts.autoConverge;
    // QEMU accepts cpu-throttle-initial/increment in 1..99 (percent of vCPU time taken away).
    if (ac.initial !== undefined) a.push("--auto-converge-initial", intArg(ac.initial, "autoConverge.initial", 1, 99));
    if (ac.increment !== undefined)
      a.push("--auto-converge-increment", intArg(ac.increment, "autoConverge.increment", 1, 99));
  }
  if (opts.postcopy) a.push("--postcopy");
  if (opts.postcopyBandwidthMiB !== undefined) {
    if (!opts.postcopy) throw new VirshArgError("postcopyBandwidthMiB", "requires postcopy");
    a.push(
      "--postcopy-bandwidth",
      intArg(opts.postcopyBandwidthMiB, "postcopyBandwidthMiB", 1, UNLIMITED_BANDWIDTH_MIB),
    );
  }
  if (opts.bandwidthMiB !== undefined) {
    a.push("--bandwidth", intArg(opts.bandwidthMiB, "bandwidthMiB", 1, UNLIMITED_BANDWIDTH_MIB));
  }
  if (opts.timeout) {
    a.push("--timeout", intArg(opts.timeout.seconds, "timeout.seconds", 1, MAX_TIMEOUT_S));
    if (opts.timeout.action === "postcopy") {
      if (!opts.postcopy) throw new VirshArgError("timeout.action", "'postcopy' requires postcopy");
      a.push("--timeout-postcopy");
    } else if (opts.timeout.action === "suspend") {
      a.push("--timeout-suspend");
    } else {
      throw new VirshArgError("timeout.action", "must be 'suspend' or 'postcopy'");
    }
  }
  if (opts.copyStorageAll) a.push("--copy-storage-all");
  if (opts.migrateDisks !== undefined) {
    if (!opts.copyStorageAll) throw new VirshArgError("migrateDisks", "requires copyStorageAll");
    if (opts.migrateDisks.length === 0) throw new VirshArgError("migrateDisks", "must not be empty");
    a.push("--migrate-disks", opts.migrateDisks.map(diskTargetArg).join(","));
  }
  if (opts.parallelConnections !== undefined) {
    // QEMU multifd-channels range.
    a.push("--parallel", "--parallel-connections", intArg(opts.parallelConnections, "parallelConnections", 1, 255));
  }
  if (opts.compressed) a.push("--compressed");
  if (opts.tls) a.push("--tls");
  if (opts.verbose) a.push("--verbose");
  return virsh(uri, "migrate", ...a, domainArg(dom), uriArg(destUri, "destUri"));
}

/** Max downtime (ms) QEMU aims for at switchover; can be changed while the job runs. */
export const migrateSetMaxDowntime = (uri: string, dom: string, ms: number): string[] =>
  virsh(uri, "migrate-setmaxdowntime", domainArg(dom), intArg(ms, "downtimeMs", 1, MAX_DOWNTIME_MS));
export const migrateGetMaxDowntime = (uri: string, dom: string): string[] =>
  virsh(uri, "migrate-getmaxdowntime", domainArg(dom));

/**
 * Bandwidth cap in MiB/s, live. 0 is refused on purpose: libvirt would pass it to QEMU as "no
 * limit" while getspeed then reports 0; use UNLIMITED_BANDWIDTH_MIB to lift the cap explicitly.
 */
export function migrateSetSpeed(uri: string, dom: string, mib: number, opts: { postcopy?: boolean } = {}): string[] {
  const speed = intArg(mib, "bandwidthMiB", 1, UNLIMITED_BANDWIDTH_MIB);
  return virsh(uri, "migrate-setspeed", domainArg(dom), speed, ...(opts.postcopy ? ["--postcopy"] : []));
}
export const migrateGetSpeed = (uri: string, dom: string, opts: { postcopy?: boolean } = {}): string[] =>
  virsh(uri, "migrate-getspeed", domainArg(dom), ...(opts.postcopy ? ["--postcopy"] : []));

/**
 * Starts a dirty-rate measurement (read it with domStatsDirtyRate). Only the default page-sampling
 * mode is offered: dirty-bitmap/dirty-ring crash QEMU under TCG (the domain ends `shut off (crashed)`). Needs the job
 * lock, so it times out after ~30 s during a migration; use QMP calc-dirty-rate then.
 */
export const domDirtyRateCalc = (uri: string, dom: string, opts: { seconds?: number } = {}): string[] =>
  virsh(uri, "domdirtyrate-calc", domainArg(dom), "--seconds", intArg(opts.seconds ?? 1, "seconds", 1, 60));

/**
 * Raw QMP command. The JSON is re-serialised compactly, which validates it and guarantees a single
 * argv word without newlines. `--pretty` as in the captures. QMP errors still exit 0: parse-qmp.
 */
export function qemuMonitorCommand(uri: string, dom: string, json: string | Record<string, unknown>): string[] {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = parseJsonLimited(json, "The QMP command");
    } catch {
      throw new VirshArgError("qmp", "not valid JSON (or nested too deeply)");
    }
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    typeof (value as { execute?: unknown }).execute !== "string"
  ) {
    throw new VirshArgError("qmp", "must be a JSON object with an 'execute' string");
  }
  return virsh(uri, "qemu-monitor-command", domainArg(dom), JSON.stringify(value), "--pretty");
}

/** HMP (human monitor) command, split into words as virsh joins them back with spaces. */
export function qemuMonitorHmp(uri: string, dom: string, command: string): string[] {
  const words = command
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (words.length === 0) throw new VirshArgError("hmp", "empty command");
  return virsh(uri, "qemu-monitor-command", domainArg(dom), "--hmp", ...words.map(hmpWordArg));
}

/**
 * Fills a host's migration URI template. `{host}` is the host's *name* — the source hypervisor must
 * be able to resolve it (in the lab `hv2` is an ssh alias carrying port and key); use `{address}`
 * when names are not resolvable there. `{name}` is an explicit alias of `{host}`.
 */
export function destinationUri(template: string, host: { name: string; address: string }): string {
  if (!/\{(host|name|address)\}/.test(template)) {
    throw new VirshArgError("migrationUriTemplate", "must contain {host}, {name} or {address}");
  }
  const out = template.replace(/\{([^}]*)\}/g, (_, key: string) => {
    if (key === "host" || key === "name") return uriHostArg(host.name, "host.name");
    if (key === "address") return uriHostArg(host.address, "host.address");
    throw new VirshArgError("migrationUriTemplate", `unknown placeholder {${key}}`);
  });
  return uriArg(out, "destUri");
}

/**
 * The one shell line that runs argv detached from the SSH channel, so the command outlives the
 * session: setsid (new session, no SIGHUP from sshd), nohup, all output to logPath, stdin closed.
 * `$!` is the virsh pid: in a non-interactive shell the background job is not a process-group
 * leader, so setsid calls setsid(2) in place instead of forking, and nohup execs.
 */
export function detached(argv: string[], logPath: string): string {
  return `setsid nohup ${commandLine(argv)} > ${quoteArg(logPathArg(logPath))} 2>&1 < /dev/null & echo $!`;
}
