// Runs one SSH exec line on a simulated host the way dash would: parse, expand `$!`-style
// parameters, apply redirections, run builtins or the simulated virsh. Nothing is ever executed
// on the real machine. Background jobs (`&`) become entries of the host's process table; those
// whose output still goes to the channel keep the exec open, as sshd does while a child holds
// the channel's pipes.
import { builtins, type ShellHost } from "./shell/builtins";
import {
  type AndOr,
  type ListItem,
  parseShell,
  type Redirect,
  type SimpleCommand,
  ShellSyntaxError,
  type Word,
} from "./shell/parse";
import type { CommandImpl, ProcessIo, Sink } from "./shell/processes";

export type { ShellHost } from "./shell/builtins";

export interface ExecChannel {
  stdout: Sink;
  stderr: Sink;
  stdin?: string;
  /** Aborted when the SSH channel or connection closes. */
  hangup: AbortSignal;
  /** Aborted when the client sends a signal request (TERM) for this exec. */
  term: AbortSignal;
}

/** Directories a program name resolves in when given as a path. */
const BIN_DIRS = new Set(["/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin"]);
const ENV_DEFAULTS: Record<string, string> = {
  HOME: "/root",
  USER: "root",
  LOGNAME: "root",
  SHELL: "/bin/sh",
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  PWD: "/root",
  LANG: "C.UTF-8",
};

interface ShellState {
  host: ShellHost;
  chan: ExecChannel;
  vars: Record<string, string>;
  lastStatus: number;
  lastBgPid: number | undefined;
  /** Background jobs still writing into the channel. */
  holders: Promise<number>[];
  programs: Record<string, CommandImpl>;
}

/** Run `line`; resolves with the exit status once the channel may be closed. */
export async function runShellLine(host: ShellHost, line: string, chan: ExecChannel): Promise<number> {
  let items: ListItem[];
  try {
    items = parseShell(line);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      chan.stderr(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const st: ShellState = {
    host,
    chan,
    vars: { ...ENV_DEFAULTS, HOSTNAME: host.hostname },
    lastStatus: 0,
    lastBgPid: undefined,
    holders: [],
    programs: { ...builtins(host), ...host.programs },
  };
  for (const item of items) {
    if (chan.term.aborted) break;
    if (item.background) {
      const done = runAndOr(st, item.cmd, true);
      done.catch(() => {});
      st.lastStatus = 0;
    } else {
      st.lastStatus = await runAndOr(st, item.cmd, false);
    }
  }
  await Promise.allSettled(st.holders);
  return st.lastStatus;
}

async function runAndOr(st: ShellState, cmd: AndOr, background: boolean): Promise<number> {
  let status = await runPipeline(st, cmd.first, background);
  for (const { op, pipeline } of cmd.rest) {
    if ((op === "&&" && status !== 0) || (op === "||" && status === 0)) continue;
    status = await runPipeline(st, pipeline, background);
  }
  return status;
}

// Pipes run their stages one after another, each reading what the previous one wrote: enough
// for `virsh … | cat`, and nothing on these hosts streams.
async function runPipeline(st: ShellState, cmds: SimpleCommand[], background: boolean): Promise<number> {
  let input: string | undefined;
  let status = 0;
  for (let i = 0; i < cmds.length; i++) {
    const last = i === cmds.length - 1;
    let captured = "";
    const pipeOut: Sink | undefined = last
      ? undefined
      : (s) => {
          captured += s;
        };
    status = await runSimple(st, cmds[i] as SimpleCommand, { input, pipeOut, background: background && last });
    input = last ? undefined : captured;
  }
  return status;
}

interface RunOpts {
  input: string | undefined;
  pipeOut: Sink | undefined;
  background: boolean;
}

async function runSimple(st: ShellState, cmd: SimpleCommand, opts: RunOpts): Promise<number> {
  const { host, chan } = st;
  const env = { ...st.vars };
  for (const a of cmd.assigns) env[a.name] = expand(st, a.value);
  const argv = cmd.words.map((w) => expand(st, w));
  if (argv.length === 0) {
    for (const a of cmd.assigns) st.vars[a.name] = env[a.name] ?? "";
  }

  // File descriptors 0-2 of the new process; redirections are applied left to right.
  const fds: { in: string; out: Sink; err: Sink; outIsChannel: boolean; errIsChannel: boolean } = {
    in: opts.input ?? chan.stdin ?? "",
    out: opts.pipeOut ?? chan.stdout,
    err: chan.stderr,
    outIsChannel: opts.pipeOut === undefined,
    errIsChannel: true,
  };
  for (const r of cmd.redirects) {
    const err = applyRedirect(st, r, fds);
    if (err) {
      chan.stderr(`sh: ${cmd.line}: ${err}\n`);
      return 2;
    }
  }
  if (argv.length === 0) return 0;

  // setsid/nohup exec their operand; what matters here is that SIGHUP no longer reaches it.
  const shielded = argv[0] === "setsid" || argv[0] === "nohup";
  const line = cmd.line;
  const exec: CommandImpl = async (args, ctx) => {
    while (args[0] === "setsid" || args[0] === "nohup") {
      const wrapper = args[0];
      let rest = args.slice(1);
      if (wrapper === "setsid") while (rest[0]?.startsWith("-") && rest[0] !== "--") rest = rest.slice(1);
      if (rest[0] === "--") rest = rest.slice(1);
      if (rest.length === 0) {
        ctx.io.stderr(
          wrapper === "nohup"
            ? "nohup: missing operand\nTry 'nohup --help' for more information.\n"
            : "setsid: no command specified\n",
        );
        return wrapper === "nohup" ? 125 : 1;
      }
      const next = rest[0] as string;
      if (next !== "setsid" && next !== "nohup" && !resolve(st, next)) {
        ctx.io.stderr(
          wrapper === "nohup"
            ? `nohup: failed to run command '${next}': No such file or directory\n`
            : `setsid: failed to execute ${next}: No such file or directory\n`,
        );
        return wrapper === "nohup" ? 127 : 1;
      }
      args = rest;
    }
    const impl = resolve(st, args[0] as string);
    if (!impl) {
      ctx.io.stderr(`sh: ${line}: ${args[0]}: not found\n`);
      return 127;
    }
    return impl(args, ctx);
  };

  const io: ProcessIo = { stdin: fds.in, stdout: fds.out, stderr: fds.err };
  const hangup = shielded ? new AbortController().signal : chan.hangup;
  const { pid, done } = host.procs.spawn(argv, exec, io, env, hangup);
  // An SSH "signal" request reaches the foreground command (dash execs it for `sh -c`).
  const onTerm = () => host.procs.terminate(pid);
  if (!opts.background) chan.term.addEventListener("abort", onTerm, { once: true });
  if (opts.background) {
    st.lastBgPid = pid;
    if (fds.outIsChannel || fds.errIsChannel) st.holders.push(done);
    return 0;
  }
  try {
    return await done;
  } finally {
    chan.term.removeEventListener("abort", onTerm);
  }
}

function resolve(st: ShellState, name: string): CommandImpl | undefined {
  if (name.includes("/")) {
    const dir = name.slice(0, name.lastIndexOf("/")) || "/";
    if (!BIN_DIRS.has(dir)) return undefined;
    name = name.slice(name.lastIndexOf("/") + 1);
  }
  return Object.hasOwn(st.programs, name) ? st.programs[name] : undefined;
}

function applyRedirect(
  st: ShellState,
  r: Redirect,
  fds: { in: string; out: Sink; err: Sink; outIsChannel: boolean; errIsChannel: boolean },
): string | undefined {
  const target = expand(st, r.target);
  const fs = st.host.fs;
  if (r.op === ">&" || r.op === "<&") {
    if (target === "-") return undefined;
    if (!/^\d+$/.test(target)) {
      return "Syntax error: Bad fd number";
    } else {
      const src = Number(target);
      if (src > 2) return `${src}: Bad file descriptor`;
      if (r.fd === 1 || r.fd === 2) {
        const sink = src === 1 ? fds.out : src === 2 ? fds.err : undefined;
        const isChan = src === 1 ? fds.outIsChannel : src === 2 ? fds.errIsChannel : false;
        if (!sink) return `${src}: Bad file descriptor`;
        if (r.fd === 1) [fds.out, fds.outIsChannel] = [sink, isChan];
        else [fds.err, fds.errIsChannel] = [sink, isChan];
      }
      return undefined;
    }
  }
  if (r.op === "<") {
    if (target === "/dev/null") {
      fds.in = "";
      return undefined;
    }
    const content = fs.read(fs.resolve(target));
    if (typeof content !== "string" || content === "ENOENT" || content === "EISDIR" || content === "ENOTDIR") {
      return `cannot open ${target}: No such file`;
    }
    if (r.fd === 0) fds.in = content;
    return undefined;
  }
  if (r.op === "<>") return undefined;
  let sink: Sink;
  if (target === "/dev/null") {
    sink = () => {};
  } else {
    const path = fs.resolve(target);
    const err = r.op === ">>" ? fs.openAppend(path) : fs.create(path);
    if (err === "EISDIR") return `cannot create ${target}: Is a directory`;
    if (err) return `cannot create ${target}: Directory nonexistent`;
    sink = (s) => fs.append(path, s);
  }
  if (r.fd === 1) [fds.out, fds.outIsChannel] = [sink, false];
  else if (r.fd === 2) [fds.err, fds.errIsChannel] = [sink, false];
  return undefined;
}

function expand(st: ShellState, word: Word): string {
  let out = "";
  for (const part of word) {
    if (part.kind === "lit") {
      out += part.text;
      continue;
    }
    switch (part.name) {
      case "!":
        out += st.lastBgPid === undefined ? "" : String(st.lastBgPid);
        break;
      case "?":
        out += String(st.lastStatus);
        break;
      case "$":
        out += "1";
        break;
      case "#":
        out += "0";
        break;
      case "0":
        out += "sh";
        break;
      default:
        out += st.vars[part.name] ?? "";
    }
  }
  return out;
}
