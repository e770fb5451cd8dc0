// The shell the simulated hosts run exec lines through: quoting must invert lib/ssh's quoteArg
// exactly, nothing may ever be executed, and dash's texts and exit codes must match.
import { describe, expect, it } from "vitest";
import { commandLine, quoteArg } from "@/lib/ssh/quote";
import { detached } from "@/lib/virsh/commands";
import { type ExecChannel, runShellLine, type ShellHost } from "./shell";
import { parseShell, ShellSyntaxError } from "./shell/parse";
import { type CommandImpl, ProcessTable } from "./shell/processes";
import { VirtualFs } from "./shell/vfs";

const HOSTILE = [
  "",
  " ",
  "it's",
  "'",
  "''",
  '"',
  "a b\tc\nd",
  "$(reboot)",
  "`reboot`",
  "; rm -rf / #",
  "&& echo pwned",
  "| cat /etc/shadow",
  "$HOME $! $? $" + "{X}",
  "\\",
  "\\'\\\"",
  "*",
  "~root",
  "vm name with spaces",
  "ünïcödé ✓",
  "--option-like",
  "a=b",
  "2>&1",
  "> /etc/passwd",
];

/** Argv of every simple command in a line, with no expansion needed (no parameters). */
function argvOf(line: string): string[][] {
  return parseShell(line).map(
    (item) =>
      item.cmd.first[0]?.words.map((w) => w.map((p) => (p.kind === "lit" ? p.text : `<$${p.name}>`)).join("")) ?? [],
  );
}

describe("parseShell", () => {
  it.each(HOSTILE)("round-trips quoteArg(%j)", (s) => {
    expect(argvOf(`virsh ${quoteArg(s)}`)).toEqual([["virsh", s]]);
  });

  it("round-trips a whole argv from commandLine", () => {
    const argv = [
      "virsh",
      "-c",
      "qemu:///system",
      "qemu-monitor-command",
      "vm 1",
      '{"execute":"query-migrate"}',
      "--pretty",
      ...HOSTILE,
    ];
    expect(argvOf(commandLine(argv))).toEqual([argv]);
  });

  it("parses the detached(...) line of lib/virsh", () => {
    const line = detached(
      ["virsh", "-c", "qemu:///system", "migrate", "--live", "--p2p", "vm-1", "qemu+ssh://hv2/system"],
      "/tmp/convoy mig.log",
    );
    const items = parseShell(line);
    expect(items).toHaveLength(2);
    expect(items[0]?.background).toBe(true);
    const first = items[0]?.cmd.first[0];
    expect(first?.redirects.map((r) => [r.fd, r.op])).toEqual([
      [1, ">"],
      [2, ">&"],
      [0, "<"],
    ]);
    expect(first?.redirects[0]?.target).toEqual([{ kind: "lit", text: "/tmp/convoy mig.log" }]);
    expect(items[1]?.cmd.first[0]?.words[1]).toEqual([{ kind: "var", name: "!" }]);
  });

  it("keeps command substitution and backticks as literal text", () => {
    expect(argvOf("echo $(id) `id` $((1+1))")).toEqual([["echo", "$(id)", "`id`", "$((1+1))"]]);
  });

  it("treats a digit word followed by a space as an argument, not a file descriptor", () => {
    const c = parseShell("echo 2 >x")[0]?.cmd.first[0];
    expect(c?.words.length).toBe(2);
    expect(c?.redirects[0]?.fd).toBe(1);
  });

  it.each([
    ["echo 'abc", "Unterminated quoted string"],
    ["&& echo", '"&&" unexpected'],
    ["echo a &&", "end of file unexpected"],
    ["echo >", "newline unexpected"],
    ["; echo", '";" unexpected'],
  ])("rejects %j like dash", (line, detail) => {
    expect(() => parseShell(line)).toThrow(ShellSyntaxError);
    expect(() => parseShell(line)).toThrow(`sh: 1: Syntax error: ${detail}`);
  });
});

function fakeHost(programs: Record<string, CommandImpl> = {}): ShellHost {
  return {
    hostname: "hv9",
    kernelRelease: "6.1.0-28-amd64",
    fs: new VirtualFs(),
    procs: new ProcessTable(5000),
    programs,
  };
}

async function run(host: ShellHost, line: string, chan: Partial<ExecChannel> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runShellLine(host, line, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    hangup: new AbortController().signal,
    term: new AbortController().signal,
    ...chan,
  });
  return { code, stdout, stderr };
}

describe("runShellLine", () => {
  it("answers unknown programs like dash", async () => {
    expect(await run(fakeHost(), "reboot")).toEqual({ code: 127, stdout: "", stderr: "sh: 1: reboot: not found\n" });
    expect(await run(fakeHost(), "/sbin/reboot -f")).toEqual({
      code: 127,
      stdout: "",
      stderr: "sh: 1: /sbin/reboot: not found\n",
    });
    expect((await run(fakeHost(), "echo a\nfoo")).stderr).toBe("sh: 2: foo: not found\n");
  });

  it("never executes substitutions", async () => {
    const r = await run(fakeHost(), "echo $(touch /tmp/x) `id` && cat /tmp/x");
    expect(r.stdout).toBe("$(touch /tmp/x) `id`\n");
    expect(r.stderr).toBe("cat: /tmp/x: No such file or directory\n");
    expect(r.code).toBe(1);
  });

  it("runs the detached wrapper, reports the pid and keeps the job after the channel closes", async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => {
      finish = r;
    });
    let sawHangup = false;
    const host = fakeHost({
      virsh: async (_argv, ctx) => {
        ctx.io.stdout("started\n");
        ctx.hangup.addEventListener("abort", () => {
          sawHangup = true;
        });
        await gate;
        ctx.io.stderr("error: boom\n");
        return 1;
      },
    });
    const hang = new AbortController();
    const r = await run(host, detached(["virsh", "migrate", "x"], "/tmp/m.log"), { hangup: hang.signal });
    hang.abort();
    const pid = Number(r.stdout.trim());
    expect(r.code).toBe(0);
    expect(pid).toBeGreaterThanOrEqual(5000);
    expect((await run(host, `kill -0 ${pid}`)).code).toBe(0);
    expect((await run(host, "cat /tmp/m.log")).stdout).toBe("started\n");
    finish();
    await new Promise((r2) => setTimeout(r2, 10));
    expect(await run(host, `kill -0 ${pid}`)).toEqual({
      code: 1,
      stdout: "",
      stderr: "sh: 1: kill: No such process\n",
    });
    expect((await run(host, "cat /tmp/m.log")).stdout).toBe("started\nerror: boom\n");
    expect(sawHangup).toBe(false);
  });

  it("applies redirections left to right", async () => {
    const host = fakeHost({
      both: async (_a, ctx) => {
        ctx.io.stdout("out\n");
        ctx.io.stderr("err\n");
        return 0;
      },
    });
    const r1 = await run(host, "both 2>&1 >/tmp/a");
    expect(r1.stdout).toBe("err\n");
    expect((await run(host, "cat /tmp/a")).stdout).toBe("out\n");
    const r2 = await run(host, "both >/tmp/b 2>&1; cat /tmp/b");
    expect(r2.stdout).toBe("out\nerr\n");
    expect((await run(host, "both > /nonexistent/dir/f")).stderr).toBe(
      "sh: 1: cannot create /nonexistent/dir/f: Directory nonexistent\n",
    );
  });

  it("supports ; && || | $? and the small builtins", async () => {
    const host = fakeHost();
    expect((await run(host, "false && echo no; echo $?")).stdout).toBe("1\n");
    expect((await run(host, "false || echo yes")).stdout).toBe("yes\n");
    expect((await run(host, "hostname; uname -r; true")).stdout).toBe("hv9\n6.1.0-28-amd64\n");
    expect((await run(host, "echo piped | cat")).stdout).toBe("piped\n");
    expect((await run(host, "kill -0 99999")).code).toBe(1);
    expect((await run(host, "kill -0 abc")).stderr).toBe("sh: 1: kill: Illegal number: abc\n");
    expect((await run(host, "setsid nohup nosuch")).stderr).toBe(
      "nohup: failed to run command 'nosuch': No such file or directory\n",
    );
  });

  it("hangs up attached processes when the channel closes, but not setsid/nohup ones", async () => {
    const seen: string[] = [];
    const host = fakeHost({
      waiter: async (argv, ctx) => {
        await new Promise<void>((r) => ctx.hangup.addEventListener("abort", () => r(), { once: true }));
        seen.push(argv[1] ?? "");
        return 129;
      },
    });
    const hang = new AbortController();
    const p = run(host, "waiter attached", { hangup: hang.signal });
    const q = run(host, "setsid waiter detached > /dev/null 2>&1 & echo $!", { hangup: hang.signal });
    await q;
    hang.abort();
    expect((await p).code).toBe(129);
    expect(seen).toEqual(["attached"]);
  });
});
