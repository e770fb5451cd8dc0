import "server-only";
import { randomBytes } from "node:crypto";
import { capsDue, digest, emptyMemo, type HostReadMemo } from "@/lib/inventory/read-memo";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";
import { storageKind } from "@/lib/inventory/types";
import { SshError } from "@/lib/ssh/errors";
import type { SshPool, SshTarget } from "@/lib/ssh/pool";
import { commandLine } from "@/lib/ssh/quote";
import { type BatchResult, batchLine, parseBatch } from "@/lib/virsh/batch";
import {
  capabilities,
  domInfo,
  domState,
  dumpXml,
  listAll,
  nodeInfo,
  nodeMemStats,
  virshVersion,
} from "@/lib/virsh/commands";
import type { DomainState } from "@/lib/virsh/domain-state";
import { parseCapabilities } from "@/lib/virsh/parse-capabilities";
import { parseDomInfo } from "@/lib/virsh/parse-dominfo";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import { parseDumpXml } from "@/lib/virsh/parse-dumpxml";
import { VirshArgError } from "@/lib/virsh/errors";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { parseList } from "@/lib/virsh/parse-list";
import { parseNodeInfo } from "@/lib/virsh/parse-nodeinfo";
import { parseNodeMemStats } from "@/lib/virsh/parse-nodememstats";
import { parseVersion } from "@/lib/virsh/parse-version";
import { domainArg } from "@/lib/virsh/validate";

const STATE_LABEL: Record<DomainState, string> = {
  "no-state": "no state",
  running: "running",
  blocked: "idle",
  paused: "paused",
  shutdown: "in shutdown",
  shutoff: "shut off",
  crashed: "crashed",
  pmsuspended: "pmsuspended",
};

/** Domains read per exec: ~30 virsh calls, well inside the SSH timeout on a slow host. */
const DOMAINS_PER_BATCH = 10;

/**
 * Reads one hypervisor over its pooled SSH connection. One exec runs the host-level commands and
 * then reads (dominfo, dumpxml, domstate --reason) the first ten domains `memo` says the host had;
 * domains the list shows beyond those are read in further execs of ten, in parallel
 * (lib/virsh/batch.ts says why batches). A host whose domains did not change is read in one round
 * trip. `memo` is what the caller kept from this host's last successful read (read-memo.ts); it is
 * updated in place, and must be dropped when a read fails.
 */
export async function collectInventory(
  pool: SshPool,
  target: SshTarget,
  uri: string,
  sharedPrefixes: readonly string[] = [],
  memo: HostReadMemo = emptyMemo(),
): Promise<{ facts: HostFacts; vms: VmFacts[]; skipped: SkippedDomain[] }> {
  const hostCommands = [virshVersion(uri), nodeInfo(uri), nodeMemStats(uri), listAll(uri)];
  if (capsDue(memo, Date.now())) hostCommands.push(capabilities(uri));
  const known = memo.domains.slice(0, DOMAINS_PER_BATCH);
  const head = await runBatch(pool, target, [...hostCommands, ...known.flatMap((n) => domainCommands(uri, n))]);
  const [versionOut = "", nodeOut = "", memOut = "", listOut = "", capsOut] = hostCommands.map((argv, i) =>
    succeeded(target, argv, head[i]),
  );
  const node = parseNodeInfo(nodeOut);
  const version = parseVersion(versionOut);
  const caps = await staticFacts(pool, target, uri, memo, digest(versionOut, nodeOut), capsOut);
  const mem = parseNodeMemStats(memOut);
  const facts: HostFacts = {
    libvirtVersion: version.libvirt,
    qemuVersion: version.hypervisor?.version ?? "unknown",
    cpuModel: caps.cpuModel ?? node.cpuModel,
    cpuVendor: caps.cpuVendor,
    cores: node.cpus,
    memoryTotalBytes: mem.totalBytes,
    memoryFreeBytes: mem.freeBytes,
  };
  const { usable, skipped } = usableDomains(listOut);
  // Reads that ran after `list` in the head exec; the domains it did not cover are read now.
  const read = new Map(
    known.map((n, i) => [n, head.slice(hostCommands.length + 3 * i, hostCommands.length + 3 * i + 3)]),
  );
  const rest = usable.filter((n) => !read.has(n));
  const batches: string[][] = [];
  for (let i = 0; i < rest.length; i += DOMAINS_PER_BATCH) batches.push(rest.slice(i, i + DOMAINS_PER_BATCH));
  await Promise.all(
    batches.map(async (names) => {
      const results = await runBatch(
        pool,
        target,
        names.flatMap((n) => domainCommands(uri, n)),
      );
      for (const [i, n] of names.entries()) read.set(n, results.slice(3 * i, 3 * i + 3));
    }),
  );
  const vms = usable.map((n) => vmFacts(target, uri, n, read.get(n) ?? [], sharedPrefixes, memo));
  memo.domains = usable;
  const listed = new Set(usable);
  for (const n of memo.xml.keys()) if (!listed.has(n)) memo.xml.delete(n);
  return { facts, vms: vms.filter((v): v is VmFacts => v !== null), skipped };
}

const domainCommands = (uri: string, name: string) => [domInfo(uri, name), dumpXml(uri, name), domState(uri, name)];

/** CPU model and vendor from `virsh capabilities`: this read's, or the memo's while the fingerprint holds. */
async function staticFacts(
  pool: SshPool,
  target: SshTarget,
  uri: string,
  memo: HostReadMemo,
  fingerprint: string,
  capsOut: string | undefined,
): Promise<NonNullable<HostReadMemo["caps"]>> {
  let out = capsOut;
  if (out === undefined && memo.caps?.fingerprint === fingerprint) return memo.caps;
  if (out === undefined) {
    const argv = capabilities(uri);
    out = succeeded(target, argv, (await runBatch(pool, target, [argv]))[0]);
  }
  const { cpu } = parseCapabilities(out);
  memo.caps = { fingerprint, readAt: Date.now(), cpuModel: cpu.model, cpuVendor: cpu.vendor };
  return memo.caps;
}

/**
 * The listed domains that can be named on a command line. A name virsh would misread (leading '-',
 * control characters) is never sent back to the host: that domain is left out with the reason, and
 * the rest of the host is still read.
 */
function usableDomains(listOut: string): { usable: string[]; skipped: SkippedDomain[] } {
  const skipped: SkippedDomain[] = [];
  const usable: string[] = [];
  for (const { name } of parseList(listOut)) {
    try {
      usable.push(domainArg(name));
    } catch (e) {
      if (!(e instanceof VirshArgError)) throw e;
      skipped.push({ name, reason: e.message });
    }
  }
  return { usable, skipped };
}

export type SkippedDomain = { name: string; reason: string };

async function runBatch(pool: SshPool, target: SshTarget, commands: string[][]): Promise<BatchResult[]> {
  const marker = `convoy-end-${randomBytes(16).toString("hex")}`;
  const r = await pool.execRaw(target, batchLine(commands, marker));
  return parseBatch(r.stdout, marker, commands.length);
}

/** A command's output, or the same error a single exec of it would have raised. */
function succeeded(target: SshTarget, argv: string[], r: BatchResult | undefined): string {
  // parseBatch returns one result per command sent, so `r` is missing only on a caller's bug.
  if (!r) throw new Error(`no result for ${commandLine(argv)}`);
  if (r.exitCode === 0) return r.output;
  throw new SshError({
    kind: "exit",
    host: target.name,
    command: commandLine(argv),
    exitCode: r.exitCode,
    stderr: r.output,
  });
}

/**
 * One domain from its dominfo, dumpxml and domstate; null when it left between `list` and these
 * reads. Its dumpxml is parsed again only when the text differs from the last read's.
 */
function vmFacts(
  target: SshTarget,
  uri: string,
  name: string,
  r: BatchResult[],
  sharedPrefixes: readonly string[],
  memo: HostReadMemo,
): VmFacts | null {
  const failed = r.findIndex((x) => x.exitCode !== 0);
  if (failed >= 0 && classifyVirshError(r[failed]?.output ?? "").kind === "no-such-domain") return null;
  const [infoOut = "", xmlOut = "", stateOut = ""] = domainCommands(uri, name).map((argv, i) =>
    succeeded(target, argv, r[i]),
  );
  const info = parseDomInfo(infoOut);
  const xmlDigest = digest(xmlOut);
  const last = memo.xml.get(name);
  const xml = last?.digest === xmlDigest ? last.parsed : parseDumpXml(xmlOut);
  memo.xml.set(name, { digest: xmlDigest, parsed: xml });
  const state = parseDomState(stateOut);
  const disks = xml.disks.map((disk) => ({
    target: disk.target,
    source: disk.source,
    type: disk.type ?? "file",
    device: disk.device,
    readonly: disk.readonly || disk.device === "cdrom",
    shared: disk.type === "network" || disk.shareable || isUnder(disk.source, sharedPrefixes),
  }));
  return {
    uuid: info.uuid,
    name: info.name,
    state: STATE_LABEL[state.state],
    stateReason: state.reason,
    vcpus: info.vcpus,
    memoryBytes: info.maxMemoryBytes ?? info.usedMemoryBytes,
    persistent: info.persistent ?? true,
    disks,
    storage: storageKind(disks),
  };
}

function isUnder(source: string | null, prefixes: readonly string[]): boolean {
  if (!source) return false;
  return prefixes.some((p) => {
    const dir = p.endsWith("/") ? p : `${p}/`;
    return source.startsWith(dir);
  });
}
