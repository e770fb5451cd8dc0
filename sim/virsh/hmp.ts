// The few HMP (human monitor) commands of QEMU 7.2 that migration tooling uses. Output uses
// "\n" here; the caller converts to the monitor's CRLF.
import type { Domain } from "../model/domain";
import { dirtyRateInfo } from "./cmd-monitor";
import { startDirtyRateCalc } from "./cmd-jobs";
import type { VirshCtx } from "./context";
import { setCapabilities, setParameters } from "./monitor-params";
import { CAPABILITY_ORDER, hmpInfoCapabilities, hmpInfoMigrate, hmpInfoParameters } from "./qmp-views";

const SIZE_SUFFIX: Record<string, number> = {
  "": 1024 * 1024,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

export function hmpCommand(ctx: VirshCtx, d: Domain, line: string): string {
  const words = line
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const [cmd = "", ...args] = words;
  const { fleet, host } = ctx;
  switch (cmd) {
    case "info":
      return info(ctx, d, args[0] ?? "");
    case "migrate_set_capability": {
      const [cap = "", state = ""] = args;
      if (!CAPABILITY_ORDER.includes(cap)) return `Error: Invalid parameter '${cap}'\n`;
      if (state !== "on" && state !== "off") return `Error: Parameter 'state' expects 'on' or 'off'\n`;
      const err = setCapabilities(fleet, host, d, [{ capability: cap, state: state === "on" }]);
      return err ? `Error: ${err}\n` : "";
    }
    case "migrate_set_parameter": {
      const [name = "", value = ""] = args;
      let n: number;
      if (name === "max-bandwidth" || name === "max-postcopy-bandwidth") {
        // HMP takes sizes, in MiB unless suffixed (qemu_strtosz_MiB).
        const m = /^(\d+)([bkmgt]?)$/i.exec(value);
        if (!m) return `Error: Parameter '${name}' expects a size\n`;
        n = Number(m[1]) * (SIZE_SUFFIX[(m[2] ?? "").toLowerCase()] ?? 1);
      } else {
        if (!/^\d+$/.test(value)) return `Error: Parameter '${name}' expects an integer\n`;
        n = Number(value);
      }
      const err = setParameters(fleet, host, d, { [name]: n });
      if (err?.endsWith("is unexpected")) return `Error: Invalid parameter '${name}'\n`;
      return err ? `Error: ${err}\n` : "";
    }
    case "calc_dirty_rate": {
      const secs = Number(args.filter((w) => !w.startsWith("-"))[0]);
      if (!Number.isInteger(secs)) return "Error: Parameter 'second' is missing\n";
      if (secs < 1 || secs > 60) return "Error: calc-time is out of range[1, 60].\n";
      try {
        startDirtyRateCalc(ctx, d, secs, args.includes("-b") ? "dirty-bitmap" : "page-sampling");
      } catch {
        return "Error: the dirty rate is already being measured.\n";
      }
      return `Starting dirty rate measurement with period ${secs} seconds\n[Please use 'info dirty_rate' to check results]\n`;
    }
    case "migrate_cancel": {
      const job = fleet.engine.jobFor(host, d.name);
      if (job && job.state === "running") fleet.engine.abort(job);
      return "";
    }
    case "migrate_start_postcopy": {
      const job = fleet.engine.jobFor(host, d.name);
      if (!job) return "Error: Postcopy must be started after migration has been started\n";
      if (!job.flags.postcopy)
        return "Error: Enable postcopy with migrate_set_capability before the start of migration\n";
      if (job.state === "running") job.physics.startPostcopy();
      return "";
    }
    default:
      return `unknown command: '${cmd}'\n`;
  }
}

function info(ctx: VirshCtx, d: Domain, what: string): string {
  const { fleet, host } = ctx;
  switch (what) {
    case "migrate":
      return hmpInfoMigrate(fleet, host, d);
    case "migrate_capabilities":
      return hmpInfoCapabilities(d);
    case "migrate_parameters":
      return hmpInfoParameters(fleet, host, d);
    case "status": {
      if (d.status.state === "running") return "VM status: running\n";
      const why = fleet.engine.incomingFor(host, d.name)
        ? "inmigrate"
        : d.status.reason === "migrating"
          ? "finish-migrate"
          : "paused";
      return why === "paused" ? "VM status: paused\n" : `VM status: paused (${why})\n`;
    }
    case "dirty_rate": {
      const r = dirtyRateInfo(ctx, d);
      const rate = r.status === "measured" ? `${r["dirty-rate"]} (MB/s)` : "(not ready)";
      return (
        `Status: ${r.status}\nStart Time: ${r["start-time"]} (ms)\nSample Pages: ${r["sample-pages"]} (per GB)\n` +
        `Period: ${r["calc-time"]} (sec)\nMode: ${r.mode}\nDirty rate: ${rate}\n`
      );
    }
    default:
      return what === "" ? "info: missing argument\n" : `unknown command: 'info ${what}'\n`;
  }
}
