import "server-only";
import ssh2 from "ssh2";
import { AppError } from "@/lib/errors";

/** Refuses keys ssh2 cannot use (encrypted, truncated) before anything is stored. */
export function assertUsablePrivateKey(key: string): void {
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error || (Array.isArray(parsed) && parsed.length === 0)) {
    const why = parsed instanceof Error ? parsed.message : "no key found";
    throw new AppError("INVALID", `The private key cannot be used: ${why}. Paste an unencrypted OpenSSH or PEM key.`);
  }
}
