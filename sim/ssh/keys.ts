// Host and client keys of the simulated fleet, persisted on disk so a restarted sim presents the
// same host fingerprints (the console pins them) and accepts the same client key.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ssh2 from "ssh2";
import { generateEd25519 } from "../../lib/ssh/keygen";

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, so go through the default.
const { utils } = ssh2;

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** Load `<dir>/<name>` (+ `.pub`), generating an ed25519 pair the first time. */
export function loadOrCreateKeyPair(dir: string, name: string, comment: string): KeyPair {
  const priv = join(dir, name);
  const pub = `${priv}.pub`;
  if (existsSync(priv) && existsSync(pub)) {
    return { privateKey: readFileSync(priv, "utf8"), publicKey: readFileSync(pub, "utf8") };
  }
  mkdirSync(dir, { recursive: true });
  const kp = generateEd25519(comment);
  writeFileSync(priv, kp.private, { mode: 0o600 });
  chmodSync(priv, 0o600);
  writeFileSync(pub, `${kp.public}\n`);
  return { privateKey: kp.private, publicKey: `${kp.public}\n` };
}

/** The SSH wire blob of a public key in any format ssh2 parses (OpenSSH line, PEM, private key). */
export function publicKeyBlob(key: string | Buffer): Buffer {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`cannot parse key: ${parsed.message}`);
  const k = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!k) throw new Error("cannot parse key: empty");
  return k.getPublicSSH();
}

/** OpenSSH "SHA256:…" fingerprint (what ssh-keygen -lf prints and the console pins). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** Generate and persist a new key pair for `<dir>/<name>`, replacing the old one (host re-install). */
export function replaceKeyPair(dir: string, name: string, comment: string): KeyPair {
  mkdirSync(dir, { recursive: true });
  const kp = generateEd25519(comment);
  const priv = join(dir, name);
  writeFileSync(priv, kp.private, { mode: 0o600 });
  writeFileSync(`${priv}.pub`, `${kp.public}\n`);
  return { privateKey: kp.private, publicKey: `${kp.public}\n` };
}
