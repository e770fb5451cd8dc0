import { describe, expect, it } from "vitest";
import { describeSshError, SshError, shortCommand } from "./errors";

const LONG = "virsh -c qemu+ssh://root@hv02.example.org/system?no_verify=1 list --all";

describe("SshError", () => {
  it("has the contract fields and a short human message", () => {
    const e = new SshError({ kind: "timeout", host: "hv03", command: LONG, timeoutMs: 10_000 });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: "SshError", kind: "timeout", host: "hv03", command: LONG });
    expect(e.exitCode).toBeNull();
    expect(e.stderr).toBe("");
    expect(e.message).toMatch(/^hv03: ssh timeout after 10000 ms running "virsh … .*list --all"$/);
    expect(e.message.length).toBeLessThan(110);
  });

  it("serializes without cause and without undefined noise", () => {
    const cause = new Error("inner");
    const e = new SshError({
      kind: "exit",
      host: "hv01",
      command: "virsh list",
      exitCode: 1,
      stderr: "error: failed to connect\nmore",
      cause,
    });
    const json = e.toJSON();
    expect(json).toEqual({
      name: "SshError",
      kind: "exit",
      message: 'hv01: "virsh list" exited with status 1: error: failed to connect',
      host: "hv01",
      command: "virsh list",
      exitCode: 1,
      stderr: "error: failed to connect\nmore",
    });
    expect(e.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(e))).toEqual(json);
  });

  it("shortens long commands but keeps short ones intact", () => {
    expect(shortCommand("virsh list")).toBe("virsh list");
    expect(shortCommand(LONG).startsWith("virsh … ")).toBe(true);
    expect(shortCommand(LONG).length).toBeLessThanOrEqual(60);
  });
});

describe("describeSshError", () => {
  const base = { host: "hv02", command: "virsh list", address: "10.0.0.2", port: 22 };
  it("gives one sentence per kind, for live errors and their JSON", () => {
    const auth = new SshError({ ...base, kind: "auth", username: "convoy" });
    expect(describeSshError(auth)).toBe("SSH authentication failed for user convoy on hv02");
    const hk = new SshError({
      ...base,
      kind: "host-key",
      expectedFingerprint: "SHA256:aaa",
      actualFingerprint: "SHA256:bbb",
    });
    expect(describeSshError(hk)).toBe("Host key mismatch: expected SHA256:aaa, got SHA256:bbb — refusing to connect");
    expect(describeSshError(hk.toJSON())).toBe(describeSshError(hk));
    expect(describeSshError(new SshError({ ...base, kind: "unreachable", code: "ECONNREFUSED" }))).toMatch(
      /^Connection refused by hv02 \(10\.0\.0\.2:22\)/,
    );
    expect(describeSshError(new SshError({ ...base, kind: "unreachable", code: "EHOSTUNREACH" }))).toBe(
      "No route to hv02 (10.0.0.2:22)",
    );
    expect(describeSshError(new SshError({ ...base, kind: "unreachable", code: "ENOTFOUND" }))).toBe(
      "DNS lookup failed for 10.0.0.2",
    );
    expect(describeSshError(new SshError({ ...base, kind: "timeout", timeoutMs: 500 }))).toBe(
      "hv02 did not answer within 500 ms (virsh list)",
    );
    expect(
      describeSshError(new SshError({ ...base, kind: "exit", exitCode: 1, stderr: "\nerror: no domain\nx" })),
    ).toBe("error: no domain");
    expect(describeSshError(new SshError({ ...base, kind: "exit", exitCode: 2 }))).toBe(
      "Remote command failed with exit status 2",
    );
    expect(describeSshError(new SshError({ ...base, kind: "exit", signal: "SIGKILL" }))).toBe(
      "Remote command killed by SIGKILL",
    );
  });

  it("does not leak arbitrary errors", () => {
    expect(describeSshError(new Error("secret internals"))).toBe("Unexpected SSH error");
    expect(describeSshError(null)).toBe("Unexpected SSH error");
  });
});
