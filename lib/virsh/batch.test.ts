import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { batchLine, parseBatch } from "./batch";

const marker = () => `convoy-end-${randomBytes(16).toString("hex")}`;

describe("several virsh commands in one exec", () => {
  it("quotes every argument and ends each command with the marker and its status", () => {
    const m = marker();
    expect(batchLine([["virsh", "-c", "qemu:///system", "dominfo", "it's"]], m)).toBe(
      `virsh -c qemu:///system dominfo 'it'\\''s' 2>&1; echo; echo ${m} $?`,
    );
    expect(() => batchLine([["virsh"]], "x; reboot")).toThrow(/marker/);
  });

  it("splits outputs back by marker, keeping each command's text and exit status", () => {
    const m = marker();
    const stdout = `Name: a\nState: running\n\n${m} 0\nerror: failed to get domain 'b'\n\n${m} 1\nno newline\n${m} 0\n`;
    expect(parseBatch(stdout, m, 3)).toEqual([
      { exitCode: 0, output: "Name: a\nState: running\n" },
      { exitCode: 1, output: "error: failed to get domain 'b'\n" },
      { exitCode: 0, output: "no newline" },
    ]);
  });

  it("a marker printed by a guest's XML with another nonce is plain output; a batch cut short throws", () => {
    const m = marker();
    const spoof = marker();
    const xml = `<description>\n${spoof} 0\n</description>\n`;
    expect(parseBatch(`${xml}\n${m} 0\n`, m, 1)).toEqual([{ exitCode: 0, output: xml }]);
    expect(() => parseBatch(`${xml}\n${m} 0\n`, m, 2)).toThrow(/after 1 of 2/);
  });
});
