// The few programs a simulated hypervisor has besides virsh, with dash/coreutils error texts.
import type { CommandImpl, ProcessTable } from "./processes";
import type { VirtualFs } from "./vfs";

export interface ShellHost {
  hostname: string;
  kernelRelease: string;
  fs: VirtualFs;
  procs: ProcessTable;
  /** Programs provided by the simulation itself (virsh). */
  programs: Record<string, CommandImpl>;
}

export function builtins(host: ShellHost): Record<string, CommandImpl> {
  return {
    true: async () => 0,
    false: async () => 1,
    hostname: async (_argv, { io }) => {
      io.stdout(`${host.hostname}\n`);
      return 0;
    },
    uname: async (argv, { io }) => uname(host, argv.slice(1), io.stdout, io.stderr),
    echo: async (argv, { io }) => {
      io.stdout(echo(argv.slice(1)));
      return 0;
    },
    cat: async (argv, { io }) => {
      const files = argv.slice(1).filter((a) => a !== "--");
      if (files.length === 0) {
        io.stdout(io.stdin);
        return 0;
      }
      let rc = 0;
      for (const f of files) {
        if (f === "-") {
          io.stdout(io.stdin);
          continue;
        }
        const content = host.fs.read(host.fs.resolve(f));
        if (content === "ENOENT" || content === "ENOTDIR") {
          io.stderr(`cat: ${f}: No such file or directory\n`);
          rc = 1;
        } else if (content === "EISDIR") {
          io.stderr(`cat: ${f}: Is a directory\n`);
          rc = 1;
        } else {
          io.stdout(content);
        }
      }
      return rc;
    },
    // Present so an injected `; touch /tmp/x` would leave a file the hostile-input tests look for.
    touch: async (argv, { io }) => {
      let rc = 0;
      for (const f of argv.slice(1).filter((x) => x !== "--")) {
        const path = host.fs.resolve(f);
        if (host.fs.read(path) !== "ENOENT") continue;
        if (host.fs.create(path)) {
          io.stderr(`touch: cannot touch '${f}': No such file or directory\n`);
          rc = 1;
        }
      }
      return rc;
    },
    kill: async (argv, { io }) => kill(host, argv.slice(1), io.stderr),
    mkdir: async (argv, { io }) => {
      const parents = argv.includes("-p");
      let rc = 0;
      for (const d of argv.slice(1).filter((a) => !a.startsWith("-"))) {
        const path = host.fs.resolve(d);
        const parent = path.slice(0, path.lastIndexOf("/")) || "/";
        if (host.fs.isDir(path)) {
          if (!parents) {
            io.stderr(`mkdir: cannot create directory '${d}': File exists\n`);
            rc = 1;
          }
        } else if (!parents && !host.fs.isDir(parent)) {
          io.stderr(`mkdir: cannot create directory '${d}': No such file or directory\n`);
          rc = 1;
        } else if (host.fs.mkdirp(path)) {
          io.stderr(`mkdir: cannot create directory '${d}': Not a directory\n`);
          rc = 1;
        }
      }
      return rc;
    },
    rm: async (argv, { io }) => {
      const force = argv.slice(1).some((a) => /^-[a-zA-Z]*f/.test(a));
      let rc = 0;
      for (const f of argv.slice(1).filter((a) => !a.startsWith("-"))) {
        const err = host.fs.remove(host.fs.resolve(f));
        if (err === "EISDIR") {
          io.stderr(`rm: cannot remove '${f}': Is a directory\n`);
          rc = 1;
        } else if (err && !force) {
          io.stderr(`rm: cannot remove '${f}': No such file or directory\n`);
          rc = 1;
        }
      }
      return rc;
    },
  };
}

// dash's echo: no options except -n, and it interprets backslash escapes.
function echo(args: string[]): string {
  let newline = true;
  if (args[0] === "-n") {
    newline = false;
    args = args.slice(1);
  }
  let out = "";
  const text = args.join(" ");
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "\\" || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const n = text[++i];
    const map: Record<string, string> = { n: "\n", t: "\t", "\\": "\\", a: "\x07", b: "\b", f: "\f", r: "\r", v: "\v" };
    if (n === "c") return out;
    out += n !== undefined && n in map ? map[n] : `\\${n}`;
  }
  return newline ? `${out}\n` : out;
}

function uname(host: ShellHost, args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const fields: Record<string, string> = {
    s: "Linux",
    n: host.hostname,
    r: host.kernelRelease,
    v: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)",
    m: "x86_64",
    o: "GNU/Linux",
  };
  const want: string[] = [];
  for (const a of args) {
    if (a === "-a" || a === "--all") want.push("s", "n", "r", "v", "m", "o");
    else if (/^-[snrvmo]+$/.test(a)) want.push(...a.slice(1));
    else {
      err(`uname: invalid option -- '${a.replace(/^-+/, "").slice(0, 1)}'\nTry 'uname --help' for more information.\n`);
      return 1;
    }
  }
  const order = ["s", "n", "r", "v", "m", "o"].filter((k) => want.includes(k));
  out(`${(order.length ? order : ["s"]).map((k) => fields[k]).join(" ")}\n`);
  return 0;
}

// dash's kill builtin: `kill -0 PID` probes, anything else delivers a terminating signal.
function kill(host: ShellHost, args: string[], err: (s: string) => void): number {
  const usage = "sh: 1: kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n";
  let probe = false;
  let i = 0;
  if (args[0] === "-s") {
    probe = args[1] === "0";
    i = 2;
  } else if (args[0]?.startsWith("-") && args[0] !== "--") {
    const sig = args[0].slice(1).toUpperCase().replace(/^SIG/, "");
    if (!["0", "1", "2", "9", "15", "HUP", "INT", "KILL", "TERM"].includes(sig)) {
      err(`sh: 1: kill: invalid signal number or name: ${args[0].slice(1)}\n`);
      return 2;
    }
    probe = sig === "0";
    i = 1;
  }
  if (args[i] === "--") i++;
  const pids = args.slice(i);
  if (pids.length === 0) {
    err(usage);
    return 2;
  }
  let rc = 0;
  for (const p of pids) {
    if (!/^-?\d+$/.test(p)) {
      err(`sh: 1: kill: Illegal number: ${p}\n`);
      return 2;
    }
    const pid = Number(p);
    const ok = probe ? host.procs.alive(pid) : host.procs.terminate(pid);
    if (!ok) {
      err("sh: 1: kill: No such process\n");
      rc = 1;
    }
  }
  return rc;
}
