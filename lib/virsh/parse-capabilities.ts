// `virsh capabilities`: the host block only — UUID (libvirt 9.0's "same host" check compares host
// UUIDs and nothing else), CPU model/vendor/topology for placement, and migration transports.
import { VirshParseError } from "./errors";
import { parseUInt } from "./text";
import { child, childText, children, parseXml } from "./xml";

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
  const host = child(parseXml(xml, P), "host");
  if (!host) throw new VirshParseError(P, "no <host> element", xml);
  const uuid = childText(host, "uuid");
  if (!uuid) throw new VirshParseError(P, "no host <uuid>", xml);
  // The host's own <cpu> is a direct child; <topology> further down holds <cpu id=…/> descendants.
  const cpu = child(host, "cpu");
  if (!cpu) throw new VirshParseError(P, "no host <cpu> element", xml);
  const arch = childText(cpu, "arch");
  if (!arch) throw new VirshParseError(P, "no <arch> in host cpu", xml);
  const topo = child(cpu, "topology")?.attrs;
  const num = (v: string | undefined, dflt?: number): number => {
    if (v === undefined && dflt !== undefined) return dflt;
    return parseUInt(v ?? "", P, `topology ${JSON.stringify(topo)}`);
  };
  const migration = child(host, "migration_features");
  const transports = child(migration, "uri_transports");
  return {
    uuid,
    cpu: {
      arch,
      model: childText(cpu, "model"),
      vendor: childText(cpu, "vendor"),
      // dies appeared in libvirt 6.0; older hosts omit it (= 1 die per socket).
      topology: topo
        ? { sockets: num(topo.sockets), dies: num(topo.dies, 1), cores: num(topo.cores), threads: num(topo.threads) }
        : null,
      features: children(cpu, "feature")
        .map((f) => f.attrs.name ?? "")
        .filter((n) => n !== ""),
      pageSizes: children(cpu, "pages").map((p) => pageBytes(p.attrs.size, p.attrs.unit)),
    },
    liveMigration: child(migration, "live") !== null,
    migrationTransports: transports ? children(transports, "uri_transport").map((t) => t.text.trim()) : [],
  };
}

function pageBytes(size: string | undefined, unit: string | undefined): number {
  const mult =
    unit === undefined || unit === "KiB"
      ? 1024
      : unit === "MiB"
        ? 1024 ** 2
        : unit === "b" || unit === "bytes"
          ? 1
          : NaN;
  const n = parseUInt(size ?? "", P, `pages size=${size} unit=${unit}`) * mult;
  if (!Number.isFinite(n)) throw new VirshParseError(P, "unknown page size unit", String(unit));
  return n;
}
