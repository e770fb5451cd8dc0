// `virsh version`: library and hypervisor versions (stored on the Host row, shown in the fleet).
import { VirshParseError } from "./errors";
import { labelValueLines } from "./text";

export type VirshVersion = {
  /** libvirt the virsh binary was built against ("Compiled against library"). */
  compiledAgainst: string | null;
  /** libvirt in use on the host ("Using library") — the one that matters for features. */
  libvirt: string;
  /** Driver API (e.g. QEMU 9.0.0: the libvirt qemu driver, not QEMU itself). */
  api: { driver: string; version: string } | null;
  /** The hypervisor itself (QEMU 7.2.22); absent when the driver cannot tell. */
  hypervisor: { name: string; version: string } | null;
};

const P = "parseVersion";
const NAMED = /^(\S.*?)\s+(\d+\.\d+\.\d+)$/;

export function parseVersion(text: string): VirshVersion {
  let compiledAgainst: string | null = null;
  let libvirt: string | null = null;
  let api: VirshVersion["api"] = null;
  let hypervisor: VirshVersion["hypervisor"] = null;
  for (const { label, value, line } of labelValueLines(text, P)) {
    const m = NAMED.exec(value);
    if (!m?.[1] || !m[2]) throw new VirshParseError(P, "expected '<name> <x.y.z>'", line);
    if (label === "Compiled against library") compiledAgainst = m[2];
    else if (label === "Using library") libvirt = m[2];
    else if (label === "Using API") api = { driver: m[1], version: m[2] };
    else if (label === "Running hypervisor") hypervisor = { name: m[1], version: m[2] };
    // Other labels (none in 9.0) are ignored: they would only add information.
  }
  if (!libvirt) throw new VirshParseError(P, "no 'Using library' line", text);
  return { compiledAgainst, libvirt, api, hypervisor };
}
