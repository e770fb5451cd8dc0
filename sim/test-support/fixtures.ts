// Reads the real virsh 9.0 captures in sim/fixtures/ (copied from shared/fixtures): a
// "# host:" header, "$ command", the verbatim output (stdout+stderr, trailing newlines
// stripped by the capture's $(...)), and "# exit status: N".
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../fixtures/", import.meta.url));

export interface Capture {
  host: string;
  command: string;
  output: string;
  exitStatus: number;
}

export function readCapture(name: string): Capture {
  const text = readFileSync(`${DIR}${name}`, "utf8");
  const lines = text.split("\n");
  const host = /^# host: (\S+)/.exec(lines[0] ?? "")?.[1] ?? "";
  const cmdLine = lines.findIndex((l) => l.startsWith("$ "));
  const statusLine = lines.findIndex((l) => l.startsWith("# exit status: "));
  const body = lines.slice(cmdLine + 1, statusLine).join("\n");
  return {
    host,
    command: (lines[cmdLine] ?? "").slice(2),
    output: body.replace(/\n+$/, ""),
    exitStatus: Number((lines[statusLine] ?? "").slice("# exit status: ".length)),
  };
}

/** The raw `job-completed` stats block of a `virsh event` log. */
export function readJobCompletedEvent(name: string): Record<string, number> {
  const text = readFileSync(`${DIR}${name}`, "utf8");
  const start = text.indexOf("event 'job-completed'");
  const stats: Record<string, number> = {};
  for (const line of text.slice(start).split("\n").slice(1)) {
    const m = /^\t(\w+): (\d+)$/.exec(line);
    if (!m) break;
    stats[m[1] as string] = Number(m[2]);
  }
  return stats;
}

/** Output as the capture shows it: what virsh printed with trailing newlines removed. */
export function asCaptured(stdout: string, stderr = ""): string {
  return (stderr + stdout).replace(/\n+$/, "");
}
