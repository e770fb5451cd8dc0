// How much of a guest's RAM QEMU really holds: the resident size of the guest-RAM mapping in the
// QEMU process (/proc/PID/smaps), read through libvirt's pid file. A migration sends only non-zero
// pages, and a page the guest never touched is not resident, so this bounds what the first pass
// sends far better than the process's RSS: under TCG that RSS also carries QEMU's translation
// cache and heap (the lab's idle 256 MiB guest: process RSS 154 MiB, guest RAM 100 MiB, sent 81 MiB),
// and on KVM the process's own memory. Pure: the argv builder and the parser.
import { VirshArgError } from "./errors";
import { domainArg } from "./validate";

/** The lines the parser needs (mapping headers and their Rss), for the system libvirt's guest `dom`. */
export function guestRamSmaps(dom: string): string[] {
  if (domainArg(dom).includes("/")) throw new VirshArgError("domain", "must not contain '/'");
  // The name is a positional parameter ("$1"), never part of the script text.
  const script = `pid=$(cat "/run/libvirt/qemu/$1.pid") && exec grep -E '^[0-9a-f]+-[0-9a-f]+ |^Rss:' "/proc/$pid/smaps"`;
  return ["sh", "-c", script, "convoy-guest-ram", dom];
}

export type Mapping = { sizeBytes: number; rssBytes: number; path: string | null };

/** `start-end perms offset dev inode [path]` lines, each followed by `Rss: N kB`. */
export function parseSmapsMappings(text: string): Mapping[] {
  const out: Mapping[] = [];
  let current: { sizeBytes: number; path: string | null } | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+(?:\s+(.+))?$/.exec(line);
    if (head) {
      current = {
        sizeBytes: Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16),
        path: head[3]?.trim() || null,
      };
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    if (rss && current) {
      out.push({ ...current, rssBytes: Number(rss[1]) * 1024 });
      current = null;
    }
  }
  return out;
}

/** Slack for RAM sizes rounded up by QEMU or a wrapper (the lab adds 8 KiB). */
const SIZE_SLACK = 2 * 1024 ** 2;

/**
 * The resident bytes of the one anonymous mapping as large as the guest's RAM; null when there is
 * not exactly one (hugepages are file-backed, NUMA guests have one mapping per node): the caller
 * then falls back to a coarser estimate rather than guess.
 */
export function guestRamResident(mappings: readonly Mapping[], memoryBytes: number): number | null {
  const ram = mappings.filter(
    (m) => m.path === null && m.sizeBytes >= memoryBytes && m.sizeBytes <= memoryBytes + SIZE_SLACK,
  );
  return ram.length === 1 ? Math.min(memoryBytes, ram[0]!.rssBytes) : null;
}
