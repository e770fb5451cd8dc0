// A simulated fleet without sockets or timers, for fast deterministic tests: run exec lines on a
// host's shell and move the simulated clock by hand.
import { fileURLToPath } from "node:url";
import { loadFleetFile } from "../fleet-file";
import { FleetState } from "../model/fleet-state";
import { KERNEL_RELEASE } from "../model/host";
import { runShellLine, type ShellHost } from "../shell";
import { virshProgram } from "../virsh/cli";

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function fleetFile(name: string): string {
  return fileURLToPath(new URL(`../fleets/${name}`, import.meta.url));
}

export class InProcessFleet {
  readonly state: FleetState;
  private readonly shells = new Map<string, ShellHost>();

  constructor(file: string, opts: { timeScale?: number; seed?: number } = {}) {
    this.state = new FleetState(loadFleetFile(fleetFile(file)), opts);
    for (const h of this.state.hosts) {
      h.port = 2200 + h.index;
      this.shells.set(h.name, {
        hostname: h.name,
        kernelRelease: KERNEL_RELEASE,
        fs: h.fs,
        procs: h.procs,
        programs: { virsh: virshProgram(this.state, h) },
      });
    }
  }

  /** Start a line; `hangup` closes its "channel". Resolves when the line is done. */
  start(host: string, line: string, hangup = new AbortController()): Promise<ExecResult> {
    const sh = this.shells.get(host);
    if (!sh) throw new Error(`no host ${host}`);
    let stdout = "";
    let stderr = "";
    return runShellLine(sh, line, {
      stdout: (s) => {
        stdout += s;
      },
      stderr: (s) => {
        stderr += s;
      },
      hangup: hangup.signal,
      term: new AbortController().signal,
    }).then((code) => ({ code, stdout, stderr }));
  }

  sh(host: string, line: string): Promise<ExecResult> {
    return this.start(host, line);
  }

  /** Advance simulated time and let promise callbacks run. */
  async advance(ms: number): Promise<void> {
    this.state.advance(ms);
    await new Promise((r) => setImmediate(r));
  }
}
