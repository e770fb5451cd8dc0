import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { batchLine, parseBatch } from "./batch";

const marker = () => `convoy-end-${randomBytes(16).toString("hex")}`;

describe("several virsh commands in one exec", () => {
  it("quotes every argument and ends each command with the marker and its status", () => {
    const m = marker();
    expect(batchLine([["virsh", "-c", "qemu:///system", "dominfo", "it's"]], m)).toBe(
      `virsh -c qemu:///system dominfo 'it'\\''s' 2>&1; echo ${m} $?`,
    );
    expect(() => batchLine([["virsh"]], "x; reboot")).toThrow(/marker/);
  });

  // The hypervisors run the line through root's shell: bash, or dash as /bin/sh.
  for (const shell of ["/bin/bash", "/bin/dash"]) {
    it(`through ${shell}: each command's output and its own exit status, also without a final newline`, () => {
      const m = marker();
      const commands = [
        ["sh", "-c", "echo 'Name: a'; echo 'State: running'"],
        ["sh", "-c", "echo \"error: failed to get domain 'b'\" >&2; exit 1"],
        ["printf", "no newline"],
        ["true"],
      ];
      const stdout = execFileSync(shell, ["-c", batchLine(commands, m)], { encoding: "utf8" });
      expect(parseBatch(stdout, m, commands.length)).toEqual([
        { exitCode: 0, output: "Name: a\nState: running\n" },
        { exitCode: 1, output: "error: failed to get domain 'b'\n" },
        { exitCode: 0, output: "no newline" },
        { exitCode: 0, output: "" },
      ]);
    });
  }

  it("a marker printed by a guest's XML with another nonce is plain output; a batch cut short throws", () => {
    const m = marker();
    const xml = `<description>\n${marker()} 0\n</description>\n`;
    expect(parseBatch(`${xml}${m} 0\n`, m, 1)).toEqual([{ exitCode: 0, output: xml }]);
    expect(() => parseBatch(`${xml}${m} 0\n`, m, 2)).toThrow(/after 1 of 2/);
  });
});
