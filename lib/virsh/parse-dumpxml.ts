// `virsh dumpxml DOM`: the facts domblklist/domstats do not give — UUID of a stopped domain,
// configured memory/vCPUs, and per-disk <readonly/>/<shareable/> (which decide what must be copied).
import { VirshParseError } from "./errors";
import { parseUInt } from "./text";
import { child, childText, children, parseXml, type XmlNode } from "./xml";

export type DomainDisk = {
  type: string | null;
  device: string;
  target: string;
  bus: string | null;
  /** file/dev/dir path, or "protocol:name" for network disks; null for an empty drive. */
  source: string | null;
  readonly: boolean;
  shareable: boolean;
  format: string | null;
  cache: string | null;
};

export type DomainXml = {
  name: string;
  uuid: string;
  memoryBytes: number;
  currentMemoryBytes: number | null;
  vcpus: number;
  disks: DomainDisk[];
};

const P = "parseDumpXml";
const UNITS: Record<string, number> = {
  b: 1,
  bytes: 1,
  KiB: 1024,
  k: 1024,
  MiB: 1024 ** 2,
  M: 1024 ** 2,
  GiB: 1024 ** 3,
  G: 1024 ** 3,
  TiB: 1024 ** 4,
  T: 1024 ** 4,
};

export function parseDumpXml(xml: string): DomainXml {
  const dom = parseXml(xml, P);
  if (dom.name !== "domain") throw new VirshParseError(P, "no <domain> element", xml);
  const name = childText(dom, "name");
  const uuid = childText(dom, "uuid");
  const vcpu = childText(dom, "vcpu");
  const memory = child(dom, "memory");
  if (!name || !uuid || !vcpu || !memory) throw new VirshParseError(P, "missing name, uuid, vcpu or memory", xml);
  const current = child(dom, "currentMemory");
  const devices = child(dom, "devices");
  return {
    name,
    uuid,
    memoryBytes: sizeOf(memory),
    currentMemoryBytes: current ? sizeOf(current) : null,
    vcpus: parseUInt(vcpu, P),
    disks: devices ? children(devices, "disk").map(disk) : [],
  };
}

function sizeOf(e: XmlNode): number {
  const mult = UNITS[e.attrs.unit ?? "KiB"];
  if (mult === undefined) throw new VirshParseError(P, "unknown memory unit", String(e.attrs.unit));
  return parseUInt(e.text.trim(), P) * mult;
}

function disk(e: XmlNode): DomainDisk {
  const target = child(e, "target")?.attrs;
  if (!target?.dev) throw new VirshParseError(P, "disk without <target dev>", JSON.stringify(e.attrs));
  const src = child(e, "source")?.attrs;
  const driver = child(e, "driver")?.attrs;
  const networkSource = src?.protocol ? `${src.protocol}:${src.name ?? ""}` : null;
  return {
    type: e.attrs.type ?? null,
    device: e.attrs.device ?? "disk",
    target: target.dev,
    bus: target.bus ?? null,
    source:
      src?.file ?? src?.dev ?? src?.dir ?? networkSource ?? (src?.pool ? `${src.pool}/${src.volume ?? ""}` : null),
    readonly: child(e, "readonly") !== null,
    shareable: child(e, "shareable") !== null,
    format: driver?.type ?? null,
    cache: driver?.cache ?? null,
  };
}

/** Whether the domain has the QEMU guest agent's channel (<channel><target name='org.qemu.guest_agent.0'/>). */
export function hasGuestAgentChannel(xml: string): boolean {
  const devices = child(parseXml(xml, P), "devices");
  return devices
    ? children(devices, "channel").some((c) => child(c, "target")?.attrs.name === "org.qemu.guest_agent.0")
    : false;
}
