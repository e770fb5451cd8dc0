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

export type Mapping = { startHex: string; sizeBytes: number; rssBytes: number; path: string | null };

/** `start-end perms offset dev inode [path]` lines, each followed by `Rss: N kB`. */
export function parseSmapsMappings(text: string): Mapping[] {
  const out: Mapping[] = [];
  let current: Omit<Mapping, "rssBytes"> | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+(?:\s+(.+))?$/.exec(line);
    if (head) {
      current = {
        startHex: head[1]!,
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
export function guestRamMapping(mappings: readonly Mapping[], memoryBytes: number): Mapping | null {
  const ram = mappings.filter(
    (m) => m.path === null && m.sizeBytes >= memoryBytes && m.sizeBytes <= memoryBytes + SIZE_SLACK,
  );
  return ram.length === 1 ? ram[0]! : null;
}

/**
 * Pages read to estimate the share of guest RAM that holds only zeros: one standard error is at
 * most 1.1 % of RAM (√(¼ / 2048)), and the read is 8 MiB.
 */
export const ZERO_SAMPLE_PAGES = 2048;

/**
 * Reads `samples` pages of the guest-RAM mapping through /proc/PID/mem, one at a random place in
 * each of `samples` equal strips (stratified sampling), and prints "pages-read zero-pages". Only
 * the two counts leave the host. QEMU skips a page that holds only zeros (it sends a flag, not the
 * page), and a resident page can hold only zeros — the lab's idle 256 MiB guest had 122 MiB
 * resident and sent 81 MiB — so residency alone overstates what a migration sends. Reading does
 * not allocate: an untouched page reads as the shared zero page. Needs perl (Debian: perl-base is
 * essential); a host without it answers non-zero and the caller keeps the resident size.
 */
export function guestRamZeroSample(dom: string, mapping: Mapping, samples = ZERO_SAMPLE_PAGES): string[] {
  if (domainArg(dom).includes("/")) throw new VirshArgError("domain", "must not contain '/'");
  if (!/^[0-9a-f]{1,16}$/.test(mapping.startHex)) throw new VirshArgError("mapping", "start must be hex");
  const pages = Math.floor(mapping.sizeBytes / 4096);
  if (!Number.isSafeInteger(pages) || pages < 1 || !Number.isInteger(samples) || samples < 1)
    throw new VirshArgError("mapping", "needs whole pages and samples");
  const perl = [
    "my ($pid, $start, $pages, $n) = @ARGV;",
    'open(my $f, "<", "/proc/$pid/mem") or exit 3;',
    "my ($read, $zero) = (0, 0);",
    "for my $k (0 .. $n - 1) {",
    "  my $page = int(($k + rand()) * $pages / $n);",
    "  sysseek($f, hex($start) + $page * 4096, 0) or next;",
    '  my $b = "";',
    "  next unless (sysread($f, $b, 4096) // 0) == 4096;",
    "  $read++;",
    "  $zero++ unless $b =~ /[^\\0]/;",
    "}",
    'print "$read $zero\\n";',
  ].join(" ");
  const script = `pid=$(cat "/run/libvirt/qemu/$1.pid") && exec perl -e '${perl}' "$pid" "$2" "$3" "$4"`;
  return ["sh", "-c", script, "convoy-guest-zero", dom, mapping.startHex, String(pages), String(samples)];
}

/** "read zero" → the share of guest RAM that is not zero; null when too few pages could be read. */
export function parseZeroSample(text: string, samples = ZERO_SAMPLE_PAGES): number | null {
  const m = /^(\d+) (\d+)\s*$/.exec(text.trim());
  if (!m) return null;
  const read = Number(m[1]);
  const zero = Number(m[2]);
  if (read < samples / 2 || zero > read) return null;
  return (read - zero) / read;
}
