// Helpers shared by the bench sections that run the real stack.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, seconds: number, done: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(1000);
  }
}

/** Load average and the busiest processes right now (other work on the machine skews the figures). */
export function machineLoad(): string {
  const [one, five] = readFileSync("/proc/loadavg", "utf8").split(" ");
  // top's second frame: CPU over the last half second, not since each process started.
  const top = execFileSync("top", ["-bn2", "-d0.5", "-c", "-w", "400"]).toString().split("\n");
  const start = top.findLastIndex((l) => l.trimStart().startsWith("PID"));
  const busy = top
    .slice(start + 1, start + 6)
    .map((l) => l.trim().split(/\s+/))
    .map(
      (f) =>
        `${f[8]} % ${f
          .slice(11)
          .join(" ")
          .replace(/^\S*node (--\S+ |tsx )*/, "")
          .slice(0, 60)}`,
    )
    .join("; ");
  return `load ${one}/${five} (1/5 min); busiest: ${busy}`;
}
