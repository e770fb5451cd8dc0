import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commandLine, quoteArg } from "./quote";

const HOSTILE = [
  "",
  " ",
  "plain",
  "it's",
  "'",
  "''",
  '"double"',
  "$(touch /tmp/convoy-pwned)",
  "`id`",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal hostile string, on purpose
  "${HOME}",
  "$HOME",
  "a;b",
  "a && b || c",
  "a | b",
  "> /tmp/x",
  "< /etc/passwd",
  "line1\nline2",
  "\n",
  "tab\there",
  "cr\rhere",
  "back\\slash\\",
  "*",
  "?",
  "[a-z]*",
  "~",
  "~root",
  "{a,b}",
  "!",
  "!!",
  "# comment",
  "--force",
  "-c",
  "-",
  "vm name with spaces",
  "ünïcødé ☃ 日本語 🚀",
  "\u00a0nbsp",
  "\\'\\''",
  "%s%n",
  "a=b",
  "qemu+ssh://root@hv02/system?keyfile=/x y",
  "\x01\x7f",
  "$'\\x41'",
];

function viaShell(shell: string, line: string): string[] {
  // printf '%s\0' prints each argument NUL-terminated, so newlines inside arguments survive.
  const out = execFileSync(shell, ["-c", `printf '%s\\000' ${line}`], { encoding: "buffer" });
  const parts = out.toString("utf8").split("\0");
  expect(parts.pop()).toBe("");
  return parts;
}

const shells = ["/bin/sh", "/bin/bash", "/bin/dash"].filter((s) => existsSync(s));

describe("quoteArg", () => {
  it("leaves safe words bare and quotes everything else", () => {
    expect(quoteArg("virsh")).toBe("virsh");
    expect(quoteArg("qemu:///system")).toBe("qemu:///system");
    expect(quoteArg("--live")).toBe("--live");
    expect(quoteArg("a@b%c+d=e:f,g.h/i-j_k")).toBe("a@b%c+d=e:f,g.h/i-j_k");
    expect(quoteArg("")).toBe("''");
    expect(quoteArg("a b")).toBe("'a b'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg("~")).toBe("'~'");
  });

  it("rejects NUL and unpaired surrogates", () => {
    expect(() => quoteArg("a\0b")).toThrow(/NUL/);
    expect(() => quoteArg("\ud800")).toThrow(/surrogate/);
    expect(() => commandLine(["echo", "x\0"])).toThrow(/NUL/);
    expect(() => commandLine([])).toThrow();
  });

  for (const shell of shells) {
    it(`round-trips every hostile string through ${shell} byte-identically`, () => {
      for (const s of HOSTILE) {
        expect(viaShell(shell, quoteArg(s))).toEqual([s]);
      }
      // All at once: word boundaries hold too.
      expect(viaShell(shell, HOSTILE.map(quoteArg).join(" "))).toEqual(HOSTILE);
    });
  }
});

describe("commandLine", () => {
  it("joins quoted argv", () => {
    expect(commandLine(["virsh", "-c", "qemu:///system", "dominfo", "vm 1"])).toBe(
      "virsh -c qemu:///system dominfo 'vm 1'",
    );
  });

  it("runs as exactly that argv in a real shell", () => {
    const line = commandLine(["printf", "%s\\000", ...HOSTILE]);
    const out = execFileSync("/bin/sh", ["-c", line], { encoding: "buffer" }).toString("utf8");
    expect(out.split("\0").slice(0, -1)).toEqual(HOSTILE);
  });

  it("never lets the first word become an assignment or a reserved word", () => {
    expect(commandLine(["A=1", "x"])).toBe("'A=1' x");
    expect(commandLine(["if", "x"])).toBe("'if' x");
    // The shell must look for a command literally named "A=1", not run `true` with A set.
    const r = spawnSync("/bin/sh", ["-c", commandLine(["A=1", "true"])], { encoding: "utf8" });
    expect(r.status).toBe(127);
    const r2 = spawnSync("/bin/sh", ["-c", commandLine(["if", "true"])], { encoding: "utf8" });
    expect(r2.status).toBe(127);
  });
});
