// What identifies one SSH connection to a host, and the checks a target passes before it is used.
import { createHash } from "node:crypto";
import { normalizeFingerprint } from "./host-keys";
import type { SshTarget } from "./pool";

// Callers reuse target objects (lib/db/hosts caches them): hash each one once, not on every exec.
const paramsKeys = new WeakMap<SshTarget, string>();

/** Anything that requires a new connection when it changes; the key is hashed, never stored. */
export function paramsKey(t: SshTarget): string {
  let key = paramsKeys.get(t);
  if (key === undefined) {
    key = hashParams(t);
    paramsKeys.set(t, key);
  }
  return key;
}

function hashParams(t: SshTarget): string {
  return createHash("sha256")
    .update(
      JSON.stringify([t.address, t.port, t.username, t.privateKey, normalizeFingerprint(t.pinnedFingerprint), t.name]),
    )
    .digest("hex");
}

export function validateTarget(t: SshTarget): void {
  if (!t || typeof t.hostId !== "string" || t.hostId === "") {
    throw new TypeError("SshTarget.hostId is required");
  }
  if (typeof t.address !== "string" || t.address === "") {
    throw new TypeError(`SshTarget ${t.hostId}: address is required`);
  }
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65_535) {
    throw new TypeError(`SshTarget ${t.hostId}: invalid port ${String(t.port)}`);
  }
}
