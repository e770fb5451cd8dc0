// `virsh dumpxml DOM`: the facts domblklist/domstats do not give — UUID of a stopped domain,
// configured memory/vCPUs, and per-disk <readonly/>/<shareable/> (which decide what must be copied).
import { VirshParseError } from "./errors";
import { parseUInt } from "./text";
import { element, elements, text } from "./xml-lite";

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
const UNITS: Record<string, number> = { b: 1, bytes: 1, KiB: 1024, k: 1024, MiB: 1024 ** 2, M: 1024 ** 2, GiB: 1024 ** 3, G: 1024 ** 3, TiB: 1024 ** 4, T: 1024 ** 4 };

export function parseDumpXml(xml: string): DomainXml {
  const dom = element(xml, "domain")?.body;
  if (!dom) throw new VirshParseError(P, "no <domain> element", xml);
  const name = text(dom, "name");
  const uuid = text(dom, "uuid");
  const vcpu = text(dom, "vcpu");
  const memory = element(dom, "memory");
  if (!name || !uuid || !vcpu || !memory) throw new VirshParseError(P, "missing name, uuid, vcpu or memory", xml);
  const current = element(dom, "currentMemory");
  const devices = element(dom, "devices")?.body ?? "";
  return {
    name,
    uuid,
    memoryBytes: sizeOf(memory),
    currentMemoryBytes: current ? sizeOf(current) : null,
    vcpus: parseUInt(vcpu, P),
    disks: elements(devices, "disk").map(disk),
  };
}

function sizeOf(e: { attrs: Record<string, string>; body: string | null }): number {
  const mult = UNITS[e.attrs.unit ?? "KiB"];
  if (mult === undefined) throw new VirshParseError(P, "unknown memory unit", String(e.attrs.unit));
  return parseUInt((e.body ?? "").trim(), P) * mult;
}

function disk(e: { attrs: Record<string, string>; body: string | null }): DomainDisk {
  const body = e.body ?? "";
  const target = element(body, "target")?.attrs;
  if (!target?.dev) throw new VirshParseError(P, "disk without <target dev>", body);
  const src = element(body, "source")?.attrs;
  const driver = element(body, "driver")?.attrs;
  const networkSource = src?.protocol ? `${src.protocol}:${src.name ?? ""}` : null;
  return {
    type: e.attrs.type ?? null,
    device: e.attrs.device ?? "disk",
    target: target.dev,
    bus: target.bus ?? null,
    source: src?.file ?? src?.dev ?? src?.dir ?? networkSource ?? (src?.pool ? `${src.pool}/${src.volume ?? ""}` : null),
    readonly: element(body, "readonly") !== null,
    shareable: element(body, "shareable") !== null,
    format: driver?.type ?? null,
    cache: driver?.cache ?? null,
  };
}

/** Whether the domain has the QEMU guest agent's channel (<channel><target name='org.qemu.guest_agent.0'/>). */
export function hasGuestAgentChannel(xml: string): boolean {
  const devices = element(element(xml, "domain")?.body ?? "", "devices")?.body ?? "";
  return elements(devices, "channel").some((c) => element(c.body ?? "", "target")?.attrs.name === "org.qemu.guest_agent.0");
}
