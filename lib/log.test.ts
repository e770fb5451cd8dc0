import { afterEach, describe, expect, it } from "vitest";
import { formatLine, redact } from "./log";

const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";

describe("log redaction", () => {
  afterEach(() => {
    delete process.env.CONVOY_LOG_FORMAT;
  });

  it("hides secret-named fields at any depth and keeps the rest", () => {
    const out = redact({
      host: "hv1",
      password: "hunter2",
      nested: { privateKey: "k", sessionToken: "t", passes: 3 },
      list: [{ cookie: "c" }],
    });
    expect(out).toEqual({
      host: "hv1",
      password: "[redacted]",
      nested: { privateKey: "[redacted]", sessionToken: "[redacted]", passes: 3 },
      list: [{ cookie: "[redacted]" }],
    });
  });

  it("removes PEM private keys from any string, errors included", () => {
    const line = formatLine("error", `bad key ${PEM}`, { detail: `x ${PEM} y`, error: new Error(`parse ${PEM}`) });
    expect(line).not.toContain("b3BlbnNzaC1rZXktdjEAAAAA");
    expect(line).not.toContain("BEGIN OPENSSH PRIVATE KEY");
    const parsed = JSON.parse(line);
    expect(parsed.level).toBe("error");
    expect(parsed.detail).toBe("x [redacted private key] y");
    expect(parsed.error.message).toBe("parse [redacted private key]");
  });

  it("survives cycles and bigints", () => {
    const a: Record<string, unknown> = { n: 10n };
    a.self = a;
    expect(JSON.parse(formatLine("info", "m", { a }))).toMatchObject({ a: { n: "10", self: "[circular]" } });
  });

  it("prints a human line when asked", () => {
    process.env.CONVOY_LOG_FORMAT = "pretty";
    expect(formatLine("warn", "slow", { ms: 5 }, new Date("2026-01-01T00:00:00Z"))).toBe(
      '2026-01-01T00:00:00.000Z WARN  slow {"ms":5}',
    );
  });
});
