// What a worker remembers of a host between two reads, so that a refresh costs little when the
// host did not change. Nothing in it is ever shown on its own: every fact still comes from this
// refresh's output, the memo only spares re-reading or re-parsing output that is provably the same.
// - The host's static facts (CPU model and vendor, from the 11 KB `virsh capabilities`) are re-read
//   only when its fingerprint changes (`virsh version` + `virsh nodeinfo`: an upgrade changes the
//   versions; new hardware changes the CPU count, frequency, topology or memory), on the first read
//   after a failed one, and at least every CAPS_MAX_AGE_MS in case a change kept both the same.
// - The domains `list` showed last time are read in the same SSH exec as the host's commands (one
//   channel, one round trip); only new ones need a second exec.
// - A domain's `dumpxml` (the one XML parse per domain) is parsed again only when its text changed.
import { createHash } from "node:crypto";
import type { DomainXml } from "@/lib/virsh/parse-dumpxml";

export const CAPS_MAX_AGE_MS = 5 * 60_000;

export type HostReadMemo = {
  caps: { fingerprint: string; readAt: number; cpuModel: string | null; cpuVendor: string | null } | null;
  /** Domain names in the order the last `list` gave them (already checked by domainArg). */
  domains: string[];
  /** Domain name → digest of its last `dumpxml` output and what it parsed to. */
  xml: Map<string, { digest: string; parsed: DomainXml }>;
};

export const emptyMemo = (): HostReadMemo => ({ caps: null, domains: [], xml: new Map() });

export function digest(...parts: string[]): string {
  const h = createHash("sha256");
  // Lengths first, so that moving a boundary between two parts changes the digest.
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest("base64");
}

/** Whether `virsh capabilities` must be part of this read. */
export function capsDue(memo: HostReadMemo, now: number): boolean {
  return memo.caps === null || now - memo.caps.readAt >= CAPS_MAX_AGE_MS;
}
