// Child processes for the demo and the e2e server: prefixed output, and all stopped together.
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";

const children: ChildProcess[] = [];

export function startProcess(
  name: string,
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; onLine?: (line: string) => void; quiet?: boolean } = {},
): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => {
      opts.onLine?.(line);
      if (!opts.quiet) process.stdout.write(`[${name}] ${line}\n`);
      // The e2e suite greps everything the processes printed (no secrets in logs).
      if (process.env.CONVOY_PROCESS_LOG) appendFileSync(process.env.CONVOY_PROCESS_LOG, `[${name}] ${line}\n`);
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) process.stdout.write(`[${name}] exited (${signal ?? code})\n`);
  });
  return child;
}

/** Resolves with the first stdout line that parses as JSON with `ready: true`. */
export function waitForReadyLine<T>(
  name: string,
  command: string,
  args: string[],
  env?: Record<string, string>,
  quiet = false,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready in ${timeoutMs} ms`)), timeoutMs);
    const child = startProcess(name, command, args, {
      env,
      quiet,
      onLine: (line) => {
        if (!line.startsWith("{")) return;
        try {
          const msg = JSON.parse(line);
          if (msg.ready) {
            clearTimeout(timer);
            resolve(msg as T);
          }
        } catch {
          /* not the ready line */
        }
      },
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer in ${timeoutMs} ms`);
}

let stopping = false;

export async function stopAll(): Promise<void> {
  stopping = true;
  for (const c of children.reverse()) {
    if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  }
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const t = setTimeout(() => {
            c.kill("SIGKILL");
            resolve();
          }, 8_000);
          c.on("exit", () => {
            clearTimeout(t);
            resolve();
          });
        }),
    ),
  );
}

/** The command line that runs a TypeScript entry with server-only modules allowed (worker, sim). */
export function tsxArgs(entry: string, ...args: string[]): string[] {
  return ["--conditions=react-server", "--import", "tsx", entry, ...args];
}
