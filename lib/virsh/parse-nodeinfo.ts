// `virsh nodeinfo`. Note: its "Memory size" comes from the NUMA cells and can be far below the real
// RAM (lab: 5597400 KiB vs 24 GiB from nodememstats) — use parse-nodememstats for capacity.
import { VirshParseError } from "./errors";
import { labelValueLines, parseKiB, parseUInt } from "./text";

export type NodeInfo = {
  /** Really the architecture ("x86_64"); the CPU model name is in capabilities. */
  cpuModel: string;
  cpus: number;
  cpuFrequencyMhz: number;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  numaCells: number;
  memoryBytes: number;
};

const P = "parseNodeInfo";

export function parseNodeInfo(text: string): NodeInfo {
  const v = new Map(labelValueLines(text, P).map((e) => [e.label, e.value]));
  const get = (label: string): string => {
    const value = v.get(label);
    if (value === undefined) throw new VirshParseError(P, `missing '${label}'`, text);
    return value;
  };
  const mhz = /^(\d+)\s*MHz$/.exec(get("CPU frequency"));
  if (!mhz?.[1]) throw new VirshParseError(P, "bad CPU frequency", get("CPU frequency"));
  return {
    cpuModel: get("CPU model"),
    cpus: parseUInt(get("CPU(s)"), P),
    cpuFrequencyMhz: parseUInt(mhz[1], P),
    sockets: parseUInt(get("CPU socket(s)"), P),
    coresPerSocket: parseUInt(get("Core(s) per socket"), P),
    threadsPerCore: parseUInt(get("Thread(s) per core"), P),
    numaCells: parseUInt(get("NUMA cell(s)"), P),
    memoryBytes: parseKiB(get("Memory size"), P),
  };
}
