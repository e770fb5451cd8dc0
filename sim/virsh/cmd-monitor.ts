// `virsh qemu-monitor-command`: raw QMP (JSON, errors still exit 0) or `--hmp` text (CRLF line
// ends, "Error: …" with exit 0) for the migration and dirty-rate commands (monitor errors exit 0; capabilities are refused mid-job;
// 16; captures s1-01/02/04, s2b, s4-dirtyrate-*, s4-err-*, s8).
import type { Domain } from "../model/domain";
import { settleDirtyRate } from "./cmd-domstats";
import { startDirtyRateCalc } from "./cmd-jobs";
import { type CommandDef, lookupDomain, requireActive, type VirshCtx } from "./context";
import { VirshError } from "./errors";
import { hmpCommand } from "./hmp";
import { setCapabilities, setParameters } from "./monitor-params";
import { exclusive, flag, str } from "./options";
import { toJson, type QmpValue } from "./qmp-json";
import { CAPABILITY_ORDER, capabilityState, migrateParameters, queryMigrate } from "./qmp-views";

type QmpResult = { ok: QmpValue } | { cls: string; desc: string };

export const monitorCommand: CommandDef = {
  name: "qemu-monitor-command",
  opts: [
    { name: "domain", type: "data", required: true },
    flag("hmp"),
    flag("pretty"),
    flag("return-value"),
    str("pass-fds"),
    { name: "cmd", type: "argv", required: true },
  ],
  mutates: "virDomainQemuMonitorCommand",
  run(ctx, a) {
    exclusive(a, "hmp", "pretty");
    const d = lookupDomain(ctx, a);
    requireActive(d);
    if (!d.taints.includes("custom-monitor")) d.taints.push("custom-monitor");
    const line = a.list("cmd").join(" ");
    const id = `libvirt-${++d.monitorSeq}`;
    if (a.bool("hmp")) {
      // QEMU's monitor writes CRLF; virsh adds its own newline after the reply.
      ctx.out(`${hmpCommand(ctx, d, line).replaceAll("\n", "\r\n")}\n`);
      return;
    }
    let req: unknown;
    try {
      req = JSON.parse(line);
    } catch {
      throw new VirshError(`internal error: cannot parse json ${line}: lexical error: invalid char in json text.`);
    }
    const res = qmp(ctx, d, req);
    const pretty = a.bool("pretty");
    if (a.bool("return-value") && "ok" in res) {
      ctx.out(`${toJson(res.ok, pretty)}\n`);
      return;
    }
    const reply: QmpValue = "ok" in res ? { return: res.ok, id } : { id, error: { class: res.cls, desc: res.desc } };
    ctx.out(`${toJson(reply, pretty)}\n`);
  },
};

function qmp(ctx: VirshCtx, d: Domain, req: unknown): QmpResult {
  if (typeof req !== "object" || req === null || Array.isArray(req)) {
    return { cls: "GenericError", desc: "QMP input must be a JSON object" };
  }
  const { execute, arguments: args0 } = req as { execute?: unknown; arguments?: unknown };
  if (typeof execute !== "string") return { cls: "GenericError", desc: "QMP input lacks member 'execute'" };
  const args = (typeof args0 === "object" && args0 !== null ? args0 : {}) as Record<string, unknown>;
  const { fleet, host } = ctx;
  const engine = fleet.engine;
  const generic = (desc: string): QmpResult => ({ cls: "GenericError", desc });
  switch (execute) {
    case "query-migrate":
      return { ok: queryMigrate(fleet, host, d) };
    case "query-migrate-parameters":
      return { ok: migrateParameters(fleet, host, d) };
    case "query-migrate-capabilities":
      return { ok: CAPABILITY_ORDER.map((c) => ({ state: capabilityState(d, c), capability: c })) };
    case "migrate-set-parameters": {
      const err = setParameters(fleet, host, d, args);
      return err ? generic(err) : { ok: {} };
    }
    case "migrate-set-capabilities": {
      const caps = Array.isArray(args.capabilities)
        ? (args.capabilities as { capability: string; state: boolean }[])
        : [];
      const err = setCapabilities(fleet, host, d, caps);
      return err ? generic(err) : { ok: {} };
    }
    case "calc-dirty-rate": {
      const secs = args["calc-time"];
      if (typeof secs !== "number") return generic("Parameter 'calc-time' is missing");
      if (secs < 1 || secs > 60) return generic("calc-time is out of range[1, 60].");
      const mode = typeof args.mode === "string" ? args.mode : "page-sampling";
      if (mode === "dirty-ring") return generic("mode dirty-ring is not enabled, use other method instead.");
      if (mode !== "page-sampling" && mode !== "dirty-bitmap")
        return generic(`Parameter 'mode' does not accept value '${mode}'`);
      try {
        startDirtyRateCalc(ctx, d, secs, mode);
      } catch {
        return generic("the dirty rate is already being measured.");
      }
      return { ok: {} };
    }
    case "query-dirty-rate":
      return { ok: dirtyRateInfo(ctx, d) };
    case "query-status": {
      const running = d.status.state === "running";
      const status = running
        ? "running"
        : engine.incomingFor(host, d.name)
          ? "inmigrate"
          : d.status.reason === "migrating"
            ? "finish-migrate"
            : "paused";
      return { ok: { status, singlestep: false, running } };
    }
    case "query-name":
      return { ok: { name: d.name } };
    case "query-version":
      return { ok: { qemu: { micro: 22, minor: 2, major: 7 }, package: "Debian 1:7.2+dfsg-7+deb12u18" } };
    case "migrate_cancel": {
      const job = engine.jobFor(host, d.name);
      if (job && job.state === "running") engine.abort(job);
      return { ok: {} };
    }
    case "migrate-start-postcopy": {
      const job = engine.jobFor(host, d.name);
      if (!job) return generic("Postcopy must be started after migration has been started");
      if (!job.flags.postcopy)
        return generic("Enable postcopy with migrate_set_capability before the start of migration");
      if (job.state === "running") job.physics.startPostcopy();
      return { ok: {} };
    }
    default:
      return { cls: "CommandNotFound", desc: `The command ${execute} has not been found` };
  }
}

export function dirtyRateInfo(ctx: VirshCtx, d: Domain): Record<string, QmpValue> {
  const c = settleDirtyRate(ctx.fleet, ctx.host, d);
  if (!c) return { status: "unstarted", "sample-pages": 0, mode: "page-sampling", "start-time": 0, "calc-time": 0 };
  const out: Record<string, QmpValue> = { status: c.status === 2 ? "measured" : "measuring", "sample-pages": 512 };
  if (c.status === 2) out["dirty-rate"] = c.mbps ?? 0;
  out.mode = c.mode;
  out["start-time"] = c.startTime;
  out["calc-time"] = c.periodS;
  return out;
}
