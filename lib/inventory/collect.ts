import "server-only";
import { randomBytes } from "node:crypto";
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
 * Reads one hypervisor over its pooled SSH connection: one exec for the host-level commands, then
 * one exec per 10 domains with three read-only commands each (dominfo, dumpxml, domstate --reason),
 * run in parallel (lib/virsh/batch.ts says why batches).
 */
export async function collectInventory(
  pool: SshPool,
  target: SshTarget,
  uri: string,
  sharedPrefixes: readonly string[] = [],
): Promise<{ facts: HostFacts; vms: VmFacts[]; skipped: SkippedDomain[] }> {
  const hostCommands = [virshVersion(uri), capabilities(uri), nodeInfo(uri), nodeMemStats(uri), listAll(uri)];
  const out = (await runBatch(pool, target, hostCommands)).map((r, i) => succeeded(target, hostCommands[i] ?? [], r));
  const [version, caps, node, mem] = [
    parseVersion(out[0] ?? ""),
    parseCapabilities(out[1] ?? ""),
    parseNodeInfo(out[2] ?? ""),
    parseNodeMemStats(out[3] ?? ""),
  ];
  const facts: HostFacts = {
    libvirtVersion: version.libvirt,
    qemuVersion: version.hypervisor?.version ?? "unknown",
    cpuModel: caps.cpu.model ?? node.cpuModel,
    cpuVendor: caps.cpu.vendor,
    cores: node.cpus,
    memoryTotalBytes: mem.totalBytes,
    memoryFreeBytes: mem.freeBytes,
  };
  const list = parseList(out[4] ?? "");
  // A name virsh would misread (leading '-', control characters) is never sent back to the host:
  // that domain is left out with the reason, and the rest of the host is still read.
  const skipped: SkippedDomain[] = [];
  const usable = list.filter((d) => {
    try {
      domainArg(d.name);
      return true;
    } catch (e) {
      if (!(e instanceof VirshArgError)) throw e;
      skipped.push({ name: d.name, reason: e.message });
      return false;
    }
  });
  const batches: string[][] = [];
  for (let i = 0; i < usable.length; i += DOMAINS_PER_BATCH)
    batches.push(usable.slice(i, i + DOMAINS_PER_BATCH).map((d) => d.name));
  const vms = (
    await Promise.all(
      batches.map(async (names) => {
        const commands = names.flatMap((n) => [domInfo(uri, n), dumpXml(uri, n), domState(uri, n)]);
        const results = await runBatch(pool, target, commands);
        return names.map((_, i) =>
          vmFacts(target, commands.slice(3 * i, 3 * i + 3), results.slice(3 * i, 3 * i + 3), sharedPrefixes),
        );
      }),
    )
  ).flat();
  return { facts, vms: vms.filter((v): v is VmFacts => v !== null), skipped };
}

export type SkippedDomain = { name: string; reason: string };

async function runBatch(pool: SshPool, target: SshTarget, commands: string[][]): Promise<BatchResult[]> {
  const marker = `convoy-end-${randomBytes(16).toString("hex")}`;
  const r = await pool.execRaw(target, batchLine(commands, marker));
  return parseBatch(r.stdout, marker, commands.length);
}

/** A command's output, or the same error a single exec of it would have raised. */
function succeeded(target: SshTarget, argv: string[], r: BatchResult): string {
  if (r.exitCode === 0) return r.output;
  throw new SshError({
    kind: "exit",
    host: target.name,
    command: commandLine(argv),
    exitCode: r.exitCode,
    stderr: r.output,
  });
}

/** One domain from its dominfo, dumpxml and domstate; null when it left between `list` and these reads. */
function vmFacts(
  target: SshTarget,
  argv: string[][],
  r: BatchResult[],
  sharedPrefixes: readonly string[],
): VmFacts | null {
  const failed = r.findIndex((x) => x.exitCode !== 0);
  if (failed >= 0 && classifyVirshError(r[failed]?.output ?? "").kind === "no-such-domain") return null;
  const [infoOut, xmlOut, stateOut] = r.map((x, i) => succeeded(target, argv[i] ?? [], x));
  const info = parseDomInfo(infoOut ?? "");
  const xml = parseDumpXml(xmlOut ?? "");
  const state = parseDomState(stateOut ?? "");
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
