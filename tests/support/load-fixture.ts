// Test helper (reads files; used only by *.test.ts): splits a lab capture into its parts.
// Capture format (captures/ of the lab, copied verbatim into lib/virsh/fixtures): "# host: …" header,
// "$ command", the output exactly as printed (trailing spaces, CR, blank lines kept), then
// "# exit status: N" and optionally "# wall time: X s".
import { readFileSync } from "node:fs";

export type Capture = {
  host: string | null;
  command: string;
  /** stdout or stderr text as captured, up to (not including) the "# exit status" line. */
  output: string;
  exitStatus: number;
  wallTimeSeconds: number | null;
};

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../lib/virsh/fixtures/${name}`, import.meta.url), "utf8");
}

export function parseCapture(text: string): Capture {
  const header = /^# host: (\S+)[^\n]*\n/.exec(text);
  const rest = header ? text.slice(header[0].length) : text;
  const cmdEnd = rest.indexOf("\n");
  if (!rest.startsWith("$ ") || cmdEnd < 0)
    throw new Error(`not a capture (no "$ command" line): ${text.slice(0, 80)}`);
  const body = rest.slice(cmdEnd + 1);
  const exitAt = body.lastIndexOf("# exit status: ");
  if (exitAt < 0 || (exitAt > 0 && body[exitAt - 1] !== "\n")) throw new Error("not a capture (no exit status line)");
  const trailer = body.slice(exitAt);
  const exit = /^# exit status: (\d+)\n?/.exec(trailer);
  if (!exit?.[1]) throw new Error(`bad exit status line: ${trailer.slice(0, 40)}`);
  const wall = /^# wall time: ([\d.]+) s$/m.exec(trailer);
  return {
    host: header?.[1] ?? null,
    command: rest.slice(2, cmdEnd),
    output: body.slice(0, exitAt),
    exitStatus: Number(exit[1]),
    wallTimeSeconds: wall?.[1] ? Number(wall[1]) : null,
  };
}

export function loadFixture(name: string): Capture {
  return parseCapture(fixtureText(name));
}

/** Files holding several captures one after another (e.g. s2b-domjobinfo-samples.txt). */
export function loadCaptures(name: string): Capture[] {
  return fixtureText(name)
    .split(/\n(?=# host: )/)
    .map((part) => parseCapture(part.endsWith("\n") ? part : `${part}\n`));
}
