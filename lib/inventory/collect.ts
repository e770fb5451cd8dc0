import "server-only";
import type { HostFacts, VmFacts } from "@/lib/inventory/types";
import { storageKind } from "@/lib/inventory/types";
import { SshError } from "@/lib/ssh/errors";
import type { SshPool, SshTarget } from "@/lib/ssh/pool";
import { capabilities, domInfo, domState, dumpXml, listAll, nodeInfo, nodeMemStats, virshVersion } from "@/lib/virsh/commands";
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

/**
 * Reads one hypervisor over its pooled SSH connection. Host-level commands run in parallel,
 * then three read-only commands per domain (dominfo, dumpxml, domstate --reason).
 */
export async function collectInventory(
  pool: SshPool,
  target: SshTarget,
  uri: string,
  sharedPrefixes: readonly string[] = [],
): Promise<{ facts: HostFacts; vms: VmFacts[]; skipped: SkippedDomain[] }> {
  const run = async (argv: string[]) => (await pool.exec(target, argv)).stdout;
  const [version, caps, node, mem, list] = await Promise.all([
    run(virshVersion(uri)).then(parseVersion),
    run(capabilities(uri)).then(parseCapabilities),
    run(nodeInfo(uri)).then(parseNodeInfo),
    run(nodeMemStats(uri)).then(parseNodeMemStats),
    run(listAll(uri)).then(parseList),
  ]);
  const facts: HostFacts = {
    libvirtVersion: version.libvirt,
    qemuVersion: version.hypervisor?.version ?? "unknown",
    cpuModel: caps.cpu.model ?? node.cpuModel,
    cpuVendor: caps.cpu.vendor,
    cores: node.cpus,
    memoryTotalBytes: mem.totalBytes,
    memoryFreeBytes: mem.freeBytes,
  };
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
  const vms = await Promise.all(
    usable.map(async (d): Promise<VmFacts | null> => {
      const read = Promise.all([
        run(domInfo(uri, d.name)).then(parseDomInfo),
        run(dumpXml(uri, d.name)).then(parseDumpXml),
        run(domState(uri, d.name)).then(parseDomState),
      ]);
      // A domain that left between `list` and these reads (migrated away, undefined) is simply gone.
      const got = await read.catch((e) => {
        if (e instanceof SshError && e.kind === "exit" && classifyVirshError(e.stderr).kind === "no-such-domain") return null;
        throw e;
      });
      if (!got) return null;
      const [info, xml, state] = got;
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
    }),
  );
  return { facts, vms: vms.filter((v): v is VmFacts => v !== null), skipped };
}

export type SkippedDomain = { name: string; reason: string };

function isUnder(source: string | null, prefixes: readonly string[]): boolean {
  if (!source) return false;
  return prefixes.some((p) => {
    const dir = p.endsWith("/") ? p : `${p}/`;
    return source.startsWith(dir);
  });
}
