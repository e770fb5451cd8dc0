// The host's process table: every command an SSH exec starts gets a pid, so `echo $!` and
// `kill -0 PID` behave as on a real host, and a detached `virsh migrate` stays visible after the
// channel that started it has closed.

export type Sink = (chunk: string) => void;

export interface ProcessIo {
  stdin: string;
  stdout: Sink;
  stderr: Sink;
}

export interface ProcessContext {
  pid: number;
  io: ProcessIo;
  env: Record<string, string>;
  /** Fires when the SSH channel that owns the process goes away (unless setsid/nohup shield it). */
  hangup: AbortSignal;
  /** Fires on `kill PID` / an SSH "signal" request: the process should stop as if SIGTERM'd. */
  term: AbortSignal;
}

export type CommandImpl = (argv: string[], ctx: ProcessContext) => Promise<number>;

interface Proc {
  pid: number;
  argv: string[];
  term: AbortController;
  done: Promise<number>;
}

/** 128 + SIGTERM, what a shell reports for a terminated child. */
export const EXIT_TERMINATED = 143;

export class ProcessTable {
  private readonly procs = new Map<number, Proc>();
  private nextPid: number;
  /** argv of the last 1000 programs started, oldest first: what really reached the shell (tests). */
  readonly started: string[][] = [];

  constructor(firstPid = 4000) {
    this.nextPid = firstPid;
  }

  spawn(
    argv: string[],
    impl: CommandImpl,
    io: ProcessIo,
    env: Record<string, string>,
    hangup: AbortSignal,
  ): { pid: number; done: Promise<number> } {
    const pid = this.nextPid++;
    this.started.push([...argv]);
    if (this.started.length > 1000) this.started.shift();
    const term = new AbortController();
    const ctx: ProcessContext = { pid, io, env, hangup, term: term.signal };
    // A command that throws is a bug in the sim; report it like a crashing program, not a hang.
    const done = (async () => {
      try {
        return await impl(argv, ctx);
      } catch (e) {
        io.stderr(`${argv[0] ?? "sh"}: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 70;
      } finally {
        this.procs.delete(pid);
      }
    })();
    this.procs.set(pid, { pid, argv, term, done });
    return { pid, done };
  }

  alive(pid: number): boolean {
    return this.procs.has(pid);
  }

  /** Deliver SIGTERM/SIGKILL/SIGHUP: all of them end a virsh client the same way here. */
  terminate(pid: number): boolean {
    const p = this.procs.get(pid);
    if (!p) return false;
    p.term.abort(new Error("SIGTERM"));
    return true;
  }

  list(): { pid: number; argv: string[] }[] {
    return [...this.procs.values()].map((p) => ({ pid: p.pid, argv: p.argv }));
  }

  /** Host going away: every process ends. Resolves once they have all exited. */
  async terminateAll(): Promise<void> {
    const all = [...this.procs.values()];
    for (const p of all) p.term.abort(new Error("SIGKILL"));
    await Promise.allSettled(all.map((p) => p.done));
  }
}
