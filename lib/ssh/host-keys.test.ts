import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ssh2 from "ssh2";
import { generateEd25519 } from "./keygen";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshError } from "./errors";
import { fingerprintOf, keyTypeOf, normalizeFingerprint, probeHostKey } from "./host-keys";
import {
  closedPort,
  generateKeyPair,
  startSilentTcpServer,
  startTestSshServer,
  type TestSshServer,
} from "@/tests/support/ssh-test-server";

const dir = mkdtempSync(join(tmpdir(), "convoy-hostkeys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blobOf(publicKey: string): Buffer {
  const k = ssh2.utils.parseKey(publicKey);
  if (k instanceof Error) throw k;
  return (Array.isArray(k) ? k[0] : k).getPublicSSH();
}

function sshKeygenFingerprint(publicKey: string, name: string): string {
  const file = join(dir, `${name}.pub`);
  writeFileSync(file, `${publicKey.trim()}\n`);
  // "256 SHA256:abc… comment (ED25519)"
  return execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).split(" ")[1] ?? "";
}

describe("fingerprintOf", () => {
  const cases = [
    ["ed25519", () => generateEd25519()],
    ["ecdsa", () => ssh2.utils.generateKeyPairSync("ecdsa", { bits: 256 })],
    ["rsa", () => ssh2.utils.generateKeyPairSync("rsa", { bits: 2048 })],
  ] as const;
  for (const [name, gen] of cases) {
    it(`matches ssh-keygen -lf for a ${name} key`, () => {
      const kp = gen();
      const fp = fingerprintOf(blobOf(kp.public));
      expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(fp).toBe(sshKeygenFingerprint(kp.public, name));
    });
  }

  it("reads the key type from the blob and normalizes pasted pins", () => {
    const kp = generateKeyPair();
    expect(keyTypeOf(blobOf(kp.publicKey))).toBe("ssh-ed25519");
    expect(keyTypeOf(Buffer.alloc(2))).toBe("unknown");
    expect(normalizeFingerprint("  SHA256:abc=  ")).toBe("SHA256:abc");
    expect(normalizeFingerprint("abc")).toBe("abc");
  });
});

describe("probeHostKey", () => {
  let server: TestSshServer;
  beforeAll(async () => {
    server = await startTestSshServer({ clientPublicKey: generateKeyPair().publicKey });
  });
  afterAll(() => server.close());

  it("returns the server's fingerprint and key type without authenticating", async () => {
    const r = await probeHostKey({ address: "127.0.0.1", port: server.port, timeoutMs: 2000 });
    expect(r).toEqual({ fingerprint: server.fingerprint, keyType: "ssh-ed25519" });
    expect(r.fingerprint).toBe(sshKeygenFingerprint(server.hostPublicKey, "server"));
    expect(server.connections).toBe(1);
    expect(server.authAttempts).toBe(0);
  });

  it("fails with kind unreachable on a closed port", async () => {
    const port = await closedPort();
    const e = await probeHostKey({ address: "127.0.0.1", port, timeoutMs: 2000 }).catch((x) => x);
    expect(e).toBeInstanceOf(SshError);
    expect(e.kind).toBe("unreachable");
    expect(e.code).toBe("ECONNREFUSED");
  });

  it("fails with kind timeout, promptly, when the peer never speaks SSH", async () => {
    const silent = await startSilentTcpServer();
    const t0 = Date.now();
    const e = await probeHostKey({ address: "127.0.0.1", port: silent.port, timeoutMs: 400 }).catch((x) => x);
    await silent.close();
    expect(e).toBeInstanceOf(SshError);
    expect(e.kind).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
