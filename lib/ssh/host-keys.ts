import "server-only";
import { createHash } from "node:crypto";
import ssh2 from "ssh2";
import { unreachableFromSocketError } from "./connect-errors";
import { SshError } from "./errors";

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, so go through the default.
const { Client } = ssh2;

/**
 * OpenSSH-style fingerprint of a raw public key blob (the SSH wire encoding, as ssh2 hands it
 * to hostVerifier and as stored base64 in known_hosts): "SHA256:" + unpadded base64 of SHA-256.
 * This is exactly what `ssh-keygen -lf` prints, so operators can compare by eye.
 */
export function fingerprintOf(keyBlob: Buffer): string {
  const b64 = createHash("sha256").update(keyBlob).digest("base64");
  return `SHA256:${b64.replace(/=+$/, "")}`;
}

/**
 * Canonical form for comparing a stored pin with a computed fingerprint: people paste
 * fingerprints with stray whitespace or with base64 padding; both mean the same key.
 * The "SHA256:" prefix is required — an MD5 or prefix-less value must not silently match.
 */
export function normalizeFingerprint(fp: string): string {
  const t = fp.trim();
  if (!t.startsWith("SHA256:")) return t;
  return `SHA256:${t.slice("SHA256:".length).replace(/=+$/, "")}`;
}

/** The key type is the first SSH string inside the blob ("ssh-ed25519", "ecdsa-sha2-nistp256" …). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const len = keyBlob.readUInt32BE(0);
  if (len === 0 || 4 + len > keyBlob.length) return "unknown";
  return keyBlob.subarray(4, 4 + len).toString("latin1");
}

export interface ProbeOptions {
  address: string;
  port: number;
  timeoutMs: number;
}

export interface ProbedHostKey {
  fingerprint: string;
  keyType: string;
}

/**
 * Fetch a host's key fingerprint for the operator to approve (trust on first use needs explicit
 * approval, migration-physics D.4). We capture the key in hostVerifier and then *reject* it, which
 * aborts the handshake during key exchange — before the userauth service is even requested, so no
 * credentials can be offered. The expected "Host denied" error is swallowed once a key is in hand.
 */
export function probeHostKey({ address, port, timeoutMs }: ProbeOptions): Promise<ProbedHostKey> {
  const host = `${address}:${port}`;
  return new Promise<ProbedHostKey>((resolve, reject) => {
    const client = new Client();
    let captured: ProbedHostKey | undefined;
    let settled = false;

    const finish = (err: SshError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      if (err) reject(err);
      else if (captured) resolve(captured);
    };

    const handshakeTimeout = (detail: string) =>
      new SshError({ kind: "timeout", host, command: "", address, port, timeoutMs, code: "HANDSHAKE_TIMEOUT", detail });

    // Our own timer as well as readyTimeout: it also bounds the TCP connect and DNS lookup.
    const timer = setTimeout(() => finish(handshakeTimeout(`no SSH host key within ${timeoutMs} ms`)), timeoutMs);

    client.on("error", (err: Error & { level?: string; code?: string }) => {
      if (captured) return finish(undefined);
      if (err.level === "client-timeout") {
        return finish(handshakeTimeout(err.message));
      }
      finish(new SshError(unreachableFromSocketError(err, { host, command: "", address, port })));
    });
    client.on("close", () => {
      if (captured) return finish(undefined);
      finish(
        new SshError({
          kind: "unreachable",
          host,
          command: "",
          address,
          port,
          detail: "connection closed before a host key was received",
        }),
      );
    });
    client.on("ready", () => {
      // Unreachable by construction (the verifier always rejects); fail closed if it ever happens.
      finish(
        new SshError({
          kind: "auth",
          host,
          command: "",
          address,
          port,
          detail: "probe unexpectedly authenticated",
        }),
      );
    });

    try {
      client.connect({
        host: address,
        port,
        username: "convoy-probe",
        readyTimeout: timeoutMs,
        // Belt and braces: even if the handshake somehow continued, offer no auth method.
        authHandler: (_methodsLeft, _partial, next) => next(false as unknown as never),
        hostVerifier: (key: Buffer) => {
          captured = { fingerprint: fingerprintOf(key), keyType: keyTypeOf(key) };
          return false;
        },
      });
    } catch (e) {
      finish(
        new SshError({
          kind: "unreachable",
          host,
          command: "",
          address,
          port,
          detail: e instanceof Error ? e.message : String(e),
        }),
      );
    }
  });
}
