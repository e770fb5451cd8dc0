// `virsh dominfo DOM`: identity (UUID), state, vCPUs, memory, persistence, taint messages.
import { type DomainState, stateFromWord } from "./domain-state";
import { VirshParseError } from "./errors";
import { lines, parseKiB, parseUInt } from "./text";

export type DomInfo = {
  id: number | null;
  name: string;
  uuid: string;
  osType: string | null;
  state: DomainState;
  vcpus: number;
  /** Only while running ("5.5s"). */
  cpuTimeSeconds: number | null;
  /** null when libvirt prints "no limit". */
  maxMemoryBytes: number | null;
  usedMemoryBytes: number;
  persistent: boolean | null;
  autostart: boolean | null;
  managedSave: boolean | null;
  securityModel: string | null;
  /** e.g. "tainted: running with undesirable elevated privileges", "tainted: custom-monitor". */
  messages: string[];
  /** Every label → value, for fields this type does not name. */
  all: Record<string, string>;
};

const P = "parseDomInfo";

export function parseDomInfo(text: string): DomInfo {
  const all: Record<string, string> = {};
  const messages: string[] = [];
  let last = "";
  for (const line of lines(text)) {
    if (line === "") continue;
    // virsh prints further messages as "%-15s %s" with an empty label: an indented continuation.
    if (/^\s/.test(line) && last === "Messages") {
      messages.push(line.trim());
      continue;
    }
    const i = line.indexOf(":");
    if (i <= 0 || /^\s/.test(line)) throw new VirshParseError(P, "expected 'Label: value'", line);
    last = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    all[last] = value;
    if (last === "Messages") messages.push(value);
  }
  const get = (label: string): string => {
    const v = all[label];
    if (v === undefined) throw new VirshParseError(P, `missing '${label}'`, text);
    return v;
  };
  const state = stateFromWord(get("State"));
  if (!state) throw new VirshParseError(P, "unknown state", get("State"));
  const cpuTime = all["CPU time"];
  const cpuTimeMatch = cpuTime === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(cpuTime);
  if (cpuTime !== undefined && !cpuTimeMatch) throw new VirshParseError(P, "bad CPU time", cpuTime);
  const maxMem = get("Max memory");
  return {
    id: get("Id") === "-" ? null : parseUInt(get("Id"), P),
    name: get("Name"),
    uuid: get("UUID"),
    osType: all["OS Type"] ?? null,
    state,
    vcpus: parseUInt(get("CPU(s)"), P),
    cpuTimeSeconds: cpuTimeMatch?.[1] ? Number(cpuTimeMatch[1]) : null,
    maxMemoryBytes: maxMem === "no limit" ? null : parseKiB(maxMem, P),
    usedMemoryBytes: parseKiB(get("Used memory"), P),
    persistent: yesNo(all.Persistent),
    autostart: all.Autostart === undefined ? null : all.Autostart === "enable",
    managedSave: yesNo(all["Managed save"]),
    securityModel: all["Security model"] ?? null,
    messages,
    all,
  };
}

// virsh prints "unknown" when the query failed; that is not "no".
function yesNo(v: string | undefined): boolean | null {
  return v === "yes" ? true : v === "no" ? false : null;
}
