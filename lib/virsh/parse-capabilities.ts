// `virsh capabilities`: the host block only — UUID (libvirt's "same host" check compares exactly
// this: libvirt 9.0's same-host check compares host UUIDs only), CPU model/vendor/topology for placement, and migration transports.
import { VirshParseError } from "./errors";
import { parseUInt } from "./text";
import { element, elements, text } from "./xml-lite";

export type HostCapabilities = {
  uuid: string;
  cpu: {
    arch: string;
    /** Host CPU model as libvirt names it (e.g. "kvm64" in the lab); null if libvirt gives none. */
    model: string | null;
    vendor: string | null;
    topology: { sockets: number; dies: number; cores: number; threads: number } | null;
    features: string[];
    /** Supported page sizes in bytes (4 KiB, 2 MiB, 1 GiB…). */
    pageSizes: number[];
  };
  liveMigration: boolean;
  migrationTransports: string[];
};

const P = "parseCapabilities";

export function parseCapabilities(xml: string): HostCapabilities {
  const host = element(xml, "host")?.body;
  if (!host) throw new VirshParseError(P, "no <host> element", xml);
  const uuid = text(host, "uuid");
  if (!uuid) throw new VirshParseError(P, "no host <uuid>", host);
  // The host's own <cpu> has no attributes; <topology> further down holds <cpu id=…/> children.
  const cpu = elements(host, "cpu").find((e) => e.body !== null && Object.keys(e.attrs).length === 0)?.body;
  if (!cpu) throw new VirshParseError(P, "no host <cpu> element", host);
  const arch = text(cpu, "arch");
  if (!arch) throw new VirshParseError(P, "no <arch> in host cpu", cpu);
  const topo = element(cpu, "topology")?.attrs;
  const num = (v: string | undefined, dflt?: number): number => {
    if (v === undefined && dflt !== undefined) return dflt;
    return parseUInt(v ?? "", P, `topology ${JSON.stringify(topo)}`);
  };
  const migration = element(host, "migration_features")?.body ?? null;
  return {
    uuid,
    cpu: {
      arch,
      model: text(cpu, "model"),
      vendor: text(cpu, "vendor"),
      // dies appeared in libvirt 6.0; older hosts omit it (= 1 die per socket).
      topology: topo
        ? { sockets: num(topo.sockets), dies: num(topo.dies, 1), cores: num(topo.cores), threads: num(topo.threads) }
        : null,
      features: elements(cpu, "feature").map((f) => f.attrs.name ?? "").filter((n) => n !== ""),
      pageSizes: elements(cpu, "pages").map((p) => pageBytes(p.attrs.size, p.attrs.unit)),
    },
    liveMigration: migration !== null && element(migration, "live") !== null,
    migrationTransports: migration ? elements(migration, "uri_transport").map((t) => (t.body ?? "").trim()) : [],
  };
}

function pageBytes(size: string | undefined, unit: string | undefined): number {
  const mult = unit === undefined || unit === "KiB" ? 1024 : unit === "MiB" ? 1024 ** 2 : unit === "b" || unit === "bytes" ? 1 : NaN;
  const n = parseUInt(size ?? "", P, `pages size=${size} unit=${unit}`) * mult;
  if (!Number.isFinite(n)) throw new VirshParseError(P, "unknown page size unit", String(unit));
  return n;
}
