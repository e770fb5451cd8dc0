// The `virsh` program of a simulated host: global options (-c/--connect, -q, -r …), the command
// line parsed like vsh (unknown command, option errors), connection to the URI's libvirtd,
// then the command. Like real virsh it prints an empty line after every command that ran
// (vshCommandRun's vshPrintExtra), unless -q.
import { resolveDestUri } from "../migration/dest-uri";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import type { CommandImpl, ProcessContext } from "../shell/processes";
import { domstatsCommand } from "./cmd-domstats";
import { eventCommand } from "./cmd-event";
import { inventoryCommands } from "./cmd-inventory";
import { jobCommands } from "./cmd-jobs";
import { migrateCommand, VirshTerminated } from "./cmd-migrate";
import { monitorCommand } from "./cmd-monitor";
import type { CommandDef, VirshCtx } from "./context";
import { ERR, VirshError } from "./errors";
import { type ParsedArgs, parseOptions } from "./options";
import { splitCommandString } from "./split";

const COMMANDS = new Map<string, CommandDef>(
  [...inventoryCommands, ...jobCommands, domstatsCommand, eventCommand, migrateCommand, monitorCommand].map((c) => [
    c.name,
    c,
  ]),
);
const VERSION = "9.0.0";
/** Short options taking an argument (getopt string "+:c:d:e:hk:K:l:qrtvV"). */
const SHORT_WITH_ARG = new Set(["c", "d", "e", "k", "K", "l"]);
const LONG: Record<string, { short: string; arg: boolean }> = {
  connect: { short: "c", arg: true },
  debug: { short: "d", arg: true },
  escape: { short: "e", arg: true },
  help: { short: "h", arg: false },
  "keepalive-interval": { short: "k", arg: true },
  "keepalive-count": { short: "K", arg: true },
  log: { short: "l", arg: true },
  quiet: { short: "q", arg: false },
  readonly: { short: "r", arg: false },
  timing: { short: "t", arg: false },
  version: { short: "v", arg: false },
};

export function virshProgram(fleet: FleetState, local: SimHost): CommandImpl {
  return (argv, proc) => runVirsh(fleet, local, argv.slice(1), proc);
}

async function runVirsh(fleet: FleetState, local: SimHost, args: string[], proc: ProcessContext): Promise<number> {
  const out = proc.io.stdout;
  const err = (lines: string[]) => proc.io.stderr(lines.map((l) => `error: ${l}\n`).join(""));
  let uri = proc.env.LIBVIRT_DEFAULT_URI || "qemu:///system";
  let quiet = false;
  let readonly = false;
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i] as string;
    if (t === "--") {
      i++;
      break;
    }
    if (!t.startsWith("-") || t === "-") break;
    const opts: { o: string; val?: string }[] = [];
    if (t.startsWith("--")) {
      const [name = "", inline] = t.slice(2).split(/=(.*)/s, 2);
      const spec = LONG[name];
      if (!spec) {
        proc.io.stderr(`virsh: unrecognized option '${t}'\n`);
        err(["unsupported option '-?'. See --help."]);
        return 1;
      }
      const val = spec.arg ? (inline ?? args[++i]) : undefined;
      opts.push(val === undefined ? { o: spec.short } : { o: spec.short, val });
    } else {
      for (let k = 1; k < t.length; k++) {
        const o = t[k] as string;
        if (SHORT_WITH_ARG.has(o)) {
          const val = k + 1 < t.length ? t.slice(k + 1) : args[++i];
          opts.push(val === undefined ? { o } : { o, val });
          break;
        }
        opts.push({ o });
      }
    }
    for (const { o, val } of opts) {
      if (SHORT_WITH_ARG.has(o) && val === undefined) {
        err([`option '-${o}' requires an argument`]);
        return 1;
      }
      if (o === "c" && val !== undefined) uri = val;
      else if (o === "q") quiet = true;
      else if (o === "r") readonly = true;
      else if (o === "v" || o === "V") {
        out(`${VERSION}\n`);
        return 0;
      } else if (o === "h") {
        out("\nvirsh [options]... [<command_string>]\nvirsh [options]... <command> [args...]\n\n");
        return 0;
      } else if (!"cdekKlqrtvVh".includes(o)) {
        err([`unsupported option '-${o}'. See --help.`]);
        return 1;
      }
    }
  }

  // One remaining word is a command *string* (`virsh 'list --all; hostname'`), more are argv.
  const rest = args.slice(i);
  let commands: string[][];
  try {
    commands =
      rest.length === 1
        ? splitCommandString(rest[0] as string)
        : rest.length > 1
          ? [rest]
          : splitCommandString(proc.io.stdin);
  } catch (e) {
    err([e instanceof Error ? e.message : String(e)]);
    return 1;
  }
  // vsh parses the whole line first: unknown commands and bad options fail before anything runs.
  const parsed: { def: CommandDef; args: ParsedArgs }[] = [];
  for (const words of commands) {
    const [name = "", ...tokens] = words;
    const def = COMMANDS.get(name);
    if (!def) {
      err([`unknown command: '${name}'`]);
      return 1;
    }
    try {
      parsed.push({ def, args: parseOptions(name, def.opts, tokens) });
    } catch (e) {
      if (e instanceof VirshError) err(e.lines);
      return 1;
    }
  }
  if (parsed.length === 0) return 0;

  const target = connect(fleet, local, uri);
  if (!("error" in target) && target.host.faults.libvirtdDown) {
    err([
      "failed to connect to the hypervisor",
      "Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
    ]);
    return 1;
  }
  if ("error" in target) {
    err(["failed to connect to the hypervisor", target.error]);
    return 1;
  }
  const ctx: VirshCtx = { fleet, local, host: target.host, uri: target.uri, out, err: proc.io.stderr, proc, readonly };
  let rc = 0;
  for (const { def, args: a } of parsed) {
    try {
      if (readonly && def.mutates) throw new VirshError(ERR.readOnly(def.mutates));
      if (target.host.faults.down) throw new VirshError("Cannot recv data: Connection reset by peer");
      const override = target.host.spec.outputs?.[def.name];
      if (override) {
        out(override.text.repeat(override.repeat));
        rc = override.exitCode;
        continue;
      }
      await def.run(ctx, a);
      rc = 0;
    } catch (e) {
      if (e instanceof VirshTerminated) return 143;
      if (!(e instanceof VirshError)) throw e;
      err(e.lines);
      rc = 1;
    }
    if (!quiet) out("\n");
  }
  return rc;
}

/** The libvirtd a URI reaches from `local`: its own, or another host's over ssh. */
function connect(fleet: FleetState, local: SimHost, uri: string): { host: SimHost; uri: string } | { error: string } {
  const m = /^qemu(\+unix)?:\/\/\/([^?]*)(\?.*)?$/.exec(uri);
  if (m) {
    if (m[2] === "system") return { host: local, uri: "qemu:///system" };
    if (m[2] === "session")
      return { error: "Failed to connect socket to '/root/.cache/libvirt/virtqemud-sock': No such file or directory" };
    return { error: `internal error: unexpected qemu URI path '/${m[2]}', try qemu:///system` };
  }
  if (!/^[a-z0-9+.-]+:\/\//i.test(uri)) return { error: `no connection driver available for ${uri}` };
  const res = resolveDestUri(uri, fleet.hosts);
  if (res.ok) return { host: res.host, uri };
  if ("hang" in res)
    return { error: "Cannot recv data: Connection timed out during banner exchange: Connection reset by peer" };
  return { error: res.error };
}
