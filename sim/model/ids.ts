// Deterministic identifiers and randomness: the same fleet file and seed give the same UUIDs,
// pids and measurements on every run, so tests and demos are reproducible.
import { createHash } from "node:crypto";

/** RFC 4122 version-4-shaped UUID derived from the seed and a name. */
export function stableUuid(seed: number, ...parts: string[]): string {
  const h = createHash("sha256")
    .update(`${seed}\0${parts.join("\0")}`)
    .digest("hex");
  const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Small integer in [0, n) derived from the seed and a name. */
export function stableInt(seed: number, n: number, ...parts: string[]): number {
  const h = createHash("sha256")
    .update(`${seed}\0${parts.join("\0")}`)
    .digest();
  return h.readUInt32BE(0) % n;
}

/** 32-bit seed for the physics model of one migration. */
export function derivedSeed(seed: number, ...parts: string[]): number {
  return stableInt(seed, 2 ** 31, ...parts);
}
