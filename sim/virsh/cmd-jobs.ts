// Commands that observe or steer a domain's job: domjobinfo, the migrate-* tunables,
// migrate-postcopy, domjobabort, suspend/resume and domdirtyrate-calc (captures s1-*, s2a, s4-err-*,
// s7, s8; real virsh 9.0 behaviour).
import { setStatus, UNLIMITED_SPEED_MIB } from "../model/domain";
import { type CommandDef, lookupDomain, requireActive, sleepReal, type VirshCtx } from "./context";
import { ERR, VirshError } from "./errors";
import { formatJobInfo, formatRawJobInfo, JOB_TYPE } from "./jobinfo-format";
import { dom, flag, int, requires, str } from "./options";

const MiB = 1024 * 1024;
const PREPARE_HOLDER = "remoteDispatchDomainMigratePrepare3Params";

/** Commands needing the job lock wait libvirt's 30 s and fail while a migration holds it. */
async function lockTimeout(ctx: VirshCtx, holder?: string): Promise<never> {
  await sleepReal(ctx.fleet.realDelayMs(30_000));
  throw new VirshError(ERR.lockTimeout(holder));
}

export const jobCommands: CommandDef[] = [
  {
    name: "domjobinfo",
    opts: [dom(), flag("completed"), flag("keep-completed"), flag("anystats"), flag("rawstats")],
    run(ctx, a) {
      requires(a, "keep-completed", "completed");
      const d = lookupDomain(ctx, a);
      const print = (type: number, stats: Record<string, number | string>) =>
        ctx.out(a.bool("rawstats") ? formatRawJobInfo(type, stats) : formatJobInfo(type, stats));
      if (a.bool("completed")) {
        const c = d.completed;
        // Reading completed stats deletes them unless asked to keep them (virsh 9.0: the next call says `Job type: None`).
        if (!a.bool("keep-completed")) d.completed = undefined;
        print(c?.type ?? JOB_TYPE.none, c?.stats ?? {});
        return;
      }
      requireActive(d);
      if (ctx.fleet.engine.incomingFor(ctx.host, d.name)) throw new VirshError(ERR.statsOnlyOnSource);
      const job = ctx.fleet.engine.jobFor(ctx.host, d.name);
      if (!job) return print(JOB_TYPE.none, {});
      const stats = job.physics.jobStats();
      ctx.fleet.stampJobInfo(d.name, Number(stats.time_elapsed ?? 0));
      print(JOB_TYPE.unbounded, { ...stats, operation: 5 });
    },
  },
  {
    name: "migrate-setmaxdowntime",
    opts: [dom(), int("downtime", { required: true, positional: true })],
    mutates: "virDomainMigrateSetMaxDowntime",
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      const ms = a.uint("downtime") ?? 0;
      if (ms < 1) throw new VirshError("migrate: Invalid downtime");
      requireActive(d);
      d.tunables.maxDowntimeMs = ms;
      ctx.fleet.engine.jobFor(ctx.host, d.name)?.physics.setDowntimeLimit(ms);
    },
  },
  {
    name: "migrate-getmaxdowntime",
    opts: [dom()],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      requireActive(d);
      ctx.out(`${d.tunables.maxDowntimeMs}\n`);
    },
  },
  {
    name: "migrate-setspeed",
    opts: [dom(), int("bandwidth", { required: true, positional: true }), flag("postcopy")],
    mutates: "virDomainMigrateSetMaxSpeed",
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      const mib = a.uint("bandwidth") ?? 0;
      if (mib > UNLIMITED_SPEED_MIB) {
        throw new VirshError(`numerical overflow: bandwidth must be less than ${UNLIMITED_SPEED_MIB + 1}`);
      }
      const job = ctx.fleet.engine.jobFor(ctx.host, d.name);
      if (a.bool("postcopy")) {
        requireActive(d);
        d.tunables.postcopySpeedMiB = mib;
        const p = job?.physics as { setPostcopyBandwidth?: (bps: number) => void } | undefined;
        p?.setPostcopyBandwidth?.(mib === 0 ? Number.POSITIVE_INFINITY : mib * MiB);
        return;
      }
      d.tunables.speedMiB = mib;
      // QEMU 7.2 treats max-bandwidth 0 as "no limit".
      job?.physics.setMaxBandwidth(mib === 0 || mib >= UNLIMITED_SPEED_MIB ? Number.POSITIVE_INFINITY : mib * MiB);
    },
  },
  {
    name: "migrate-getspeed",
    opts: [dom(), flag("postcopy")],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      if (a.bool("postcopy")) {
        requireActive(d);
        ctx.out(`${d.tunables.postcopySpeedMiB}\n`);
      } else {
        ctx.out(`${d.tunables.speedMiB}\n`);
      }
    },
  },
  {
    name: "migrate-postcopy",
    opts: [dom()],
    mutates: "virDomainMigrateStartPostCopy",
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      requireActive(d);
      const job = ctx.fleet.engine.jobFor(ctx.host, d.name);
      if (!job || job.state === "done") throw new VirshError(ERR.postcopyNoJob);
      if (!job.flags.postcopy) throw new VirshError(ERR.postcopyNotArmed);
      if (job.state === "postcopy") throw new VirshError("Requested operation is not valid: post-copy already started");
      try {
        job.physics.startPostcopy();
      } catch (e) {
        throw new VirshError(e instanceof Error ? e.message : ERR.postcopyNotArmed);
      }
    },
  },
  {
    name: "domjobabort",
    opts: [dom(), flag("postcopy")],
    mutates: "virDomainAbortJob",
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      requireActive(d);
      if (ctx.fleet.engine.incomingFor(ctx.host, d.name)) throw new VirshError(ERR.abortIncoming);
      const job = ctx.fleet.engine.jobFor(ctx.host, d.name);
      if (!job) throw new VirshError(ERR.noJob);
      ctx.fleet.engine.abort(job);
    },
  },
  {
    name: "suspend",
    opts: [dom()],
    mutates: "virDomainSuspend",
    async run(ctx, a) {
      const d = lookupDomain(ctx, a);
      const fail = (line: string) => new VirshError(`Failed to suspend domain '${d.name}'`, line);
      if (d.status.state !== "running" && d.status.state !== "paused") throw fail(ERR.notRunning);
      if (ctx.fleet.engine.incomingFor(ctx.host, d.name))
        await lockTimeout(ctx, PREPARE_HOLDER).catch((e: VirshError) => Promise.reject(fail(e.lines[0] ?? "")));
      const job = ctx.fleet.engine.jobFor(ctx.host, d.name);
      if (job) ctx.fleet.engine.suspendSource(job);
      else if (d.status.state === "running") setStatus(d, { state: "paused", reason: "user" }, ctx.fleet.nowMs);
      ctx.out(`Domain '${d.name}' suspended\n`);
    },
  },
  {
    name: "resume",
    opts: [dom()],
    mutates: "virDomainResume",
    async run(ctx, a) {
      const d = lookupDomain(ctx, a);
      const fail = (line: string) => new VirshError(`Failed to resume domain '${d.name}'`, line);
      if (d.status.state !== "running" && d.status.state !== "paused") throw fail(ERR.notRunning);
      const engine = ctx.fleet.engine;
      // The migration job holds the domain's job lock on both ends (s7-resume-on-source…).
      const holder = engine.jobFor(ctx.host, d.name)
        ? undefined
        : engine.incomingFor(ctx.host, d.name)
          ? PREPARE_HOLDER
          : null;
      if (holder !== null)
        await lockTimeout(ctx, holder).catch((e: VirshError) => Promise.reject(fail(e.lines[0] ?? "")));
      if (d.status.state === "running") throw fail(ERR.alreadyRunning);
      setStatus(d, { state: "running", reason: "unpaused" }, ctx.fleet.nowMs);
      ctx.out(`Domain '${d.name}' resumed\n`);
    },
  },
  {
    name: "domdirtyrate-calc",
    opts: [dom(), int("seconds"), str("mode")],
    mutates: "virDomainStartDirtyRateCalc",
    async run(ctx, a) {
      const d = lookupDomain(ctx, a);
      const seconds = a.int("seconds") ?? 1;
      const mode = a.str("mode") ?? "page-sampling";
      if (!["page-sampling", "dirty-bitmap", "dirty-ring"].includes(mode)) {
        throw new VirshError(`Unknown calculation mode '${mode}'`);
      }
      requireActive(d);
      const engine = ctx.fleet.engine;
      if (engine.jobFor(ctx.host, d.name)) await lockTimeout(ctx);
      if (engine.incomingFor(ctx.host, d.name)) await lockTimeout(ctx, PREPARE_HOLDER);
      if (mode === "dirty-ring") {
        throw new VirshError(
          "Operation not supported: dirty-ring calculation mode requires dirty-ring feature enabled.",
        );
      }
      if (seconds < 1 || seconds > 60) {
        throw new VirshError(`invalid argument: seconds must be between 1 and 60`);
      }
      startDirtyRateCalc(ctx, d, seconds, mode as "page-sampling" | "dirty-bitmap");
      ctx.out("Start to calculate domain's memory dirty rate successfully.\n");
    },
  },
];

export function startDirtyRateCalc(
  ctx: VirshCtx,
  d: ReturnType<typeof lookupDomain>,
  seconds: number,
  mode: "page-sampling" | "dirty-bitmap",
): void {
  if (d.dirtyCalc?.status === 1 && ctx.fleet.nowMs < d.dirtyCalc.endsAtSimMs) {
    throw new VirshError(
      "internal error: unable to execute QEMU command 'calc-dirty-rate': the dirty rate is already being measured.",
    );
  }
  d.dirtyCalc = {
    status: 1,
    // QEMU reports the host's monotonic clock in seconds (the lab's 7264 was its uptime).
    startTime: ctx.host.uptimeSeconds(ctx.fleet.nowMs),
    periodS: seconds,
    mode,
    endsAtSimMs: ctx.fleet.nowMs + seconds * 1000,
  };
}
