import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

// SSH private keys are stored encrypted (AES-256-GCM) with a key that never enters the database.
let cachedKey: Buffer | undefined;

function masterKey(): Buffer {
  if (cachedKey) return cachedKey;
  const { CONVOY_SECRET_KEY, CONVOY_DATA_DIR } = env();
  if (CONVOY_SECRET_KEY) {
    cachedKey = Buffer.from(CONVOY_SECRET_KEY, "base64");
  } else {
    const file = path.join(CONVOY_DATA_DIR, "secret.key");
    if (!existsSync(file)) {
      mkdirSync(CONVOY_DATA_DIR, { recursive: true });
      try {
        writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
      } catch (e) {
        // Another process (web server, worker) created it first: use theirs.
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    cachedKey = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  }
  if (cachedKey.length !== 32) throw new Error("CONVOY_SECRET_KEY must be 32 bytes, base64-encoded");
  return cachedKey;
}

export function seal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", masterKey(), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64")).join(":");
}

export function open(sealed: string): string {
  const [iv, tag, data] = sealed.split(":").map((s) => Buffer.from(s, "base64"));
  if (!iv || !tag || !data) throw new Error("Malformed sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", masterKey(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
}
