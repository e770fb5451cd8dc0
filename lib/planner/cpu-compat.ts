// Can a guest running on a host with CPU model A live-migrate to one with model B? Pure.
// Conservative: within a vendor family a guest may move to the same or a newer generation
// (a newer CPU has every feature of an older one); across vendors, or to an older or unknown
// model, it may not. libvirt re-checks the guest's own CPU definition at migration time.
const FAMILIES: readonly (readonly string[])[] = [
  [
    "Nehalem",
    "Westmere",
    "SandyBridge",
    "IvyBridge",
    "Haswell",
    "Broadwell",
    "Skylake-Server",
    "Cascadelake-Server",
    "Cooperlake",
    "Icelake-Server",
    "SapphireRapids",
    "GraniteRapids",
  ],
  ["Opteron_G4", "Opteron_G5", "EPYC", "EPYC-Rome", "EPYC-Milan", "EPYC-Genoa"],
];

const base = (model: string) => model.replace(/-(IBRS|noTSX|noTSX-IBRS|v\d+)$/i, "");

export type CpuCompat = { ok: boolean; reason: string };

export function cpuCompatible(source: string | null, dest: string | null): CpuCompat {
  if (!source || !dest) return { ok: false, reason: "CPU model unknown (inventory not read yet)" };
  if (source === dest) return { ok: true, reason: `same CPU model (${source})` };
  const s = base(source);
  const d = base(dest);
  if (s === d) return { ok: true, reason: `same CPU generation (${source} → ${dest})` };
  for (const family of FAMILIES) {
    const si = family.indexOf(s);
    const di = family.indexOf(d);
    if (si >= 0 && di >= 0) {
      return di >= si
        ? {
            ok: true,
            reason: `${dest} is a newer ${family === FAMILIES[0] ? "Intel" : "AMD"} generation than ${source}`,
          }
        : { ok: false, reason: `${dest} is older than ${source}: the guest may use features it lacks` };
    }
  }
  return { ok: false, reason: `${source} and ${dest} are different CPU families` };
}
