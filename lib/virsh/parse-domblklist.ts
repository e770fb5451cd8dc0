// `virsh domblklist DOM --details` + classification of each disk for migration planning.
// --details gives type/device/target/source but NOT read-only-ness (that is <readonly/> in dumpxml,
// see parse-dumpxml), so classifyDisks takes the read-only targets as an optional extra input.
import { VirshParseError } from "./errors";
import { lines } from "./text";

export type BlockDevice = {
  /** file | block | network | dir | volume | nvme | vhostuser; null without --details. */
  type: string | null;
  /** disk | cdrom | floppy | lun; null without --details. */
  device: string | null;
  target: string;
  /** Path, or "pool/image" for network disks; null for an empty drive (printed "-"). */
  source: string | null;
};

const P = "parseDomBlkList";

export function parseDomBlkList(text: string): BlockDevice[] {
  const [header, rule, ...rows] = lines(text);
  const details = header !== undefined && /^\s*Type\s+Device\s+Target\s+Source$/.test(header);
  if (!header || !(details || /^\s*Target\s+Source$/.test(header)) || !rule || !/^-+$/.test(rule)) {
    throw new VirshParseError(P, "missing domblklist header", text);
  }
  return rows
    .filter((r) => r.trim() !== "")
    .map((row) => {
      // Only the source can contain spaces, and it is the last column.
      const m = details ? /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.+)$/.exec(row) : /^\s*()()(\S+)\s+(.+)$/.exec(row);
      if (!m?.[3] || !m[4]) throw new VirshParseError(P, "unrecognised row", row);
      return { type: m[1] || null, device: m[2] || null, target: m[3], source: m[4] === "-" ? null : m[4] };
    });
}

export type DiskStorage = "shared" | "local" | "none";

export type ClassifiedDisk = BlockDevice & {
  /** shared: reachable from the destination as is; local: must be copied; none: empty drive. */
  storage: DiskStorage;
  /** null = unknown (no read-only list given and not a cdrom). */
  readonly: boolean | null;
  /** Needs --copy-storage-all (a local disk that is not known to be read-only). */
  copy: boolean;
};

export type ClassifyOptions = {
  /** Directories mounted identically on every host (NFS, cluster FS…). */
  sharedPrefixes: readonly string[];
  /** Targets marked <readonly/> in dumpxml. Passing it (even empty) means "read-only-ness is known". */
  readonlyTargets?: readonly string[];
};

export function classifyDisks(disks: readonly BlockDevice[], opts: ClassifyOptions): ClassifiedDisk[] {
  return disks.map((d) => {
    const storage: DiskStorage =
      d.source === null
        ? "none"
        : d.type === "network" || underShared(d.source, opts.sharedPrefixes)
          ? "shared"
          : "local";
    // libvirt makes every cdrom read-only; other devices are only known from dumpxml.
    const readonly =
      d.device === "cdrom" ? true : opts.readonlyTargets ? opts.readonlyTargets.includes(d.target) : null;
    // Unknown read-only-ness counts as writable: copying too much is safe, too little loses data.
    return { ...d, storage, readonly, copy: storage === "local" && readonly !== true };
  });
}

/** Targets to pass as --migrate-disks, or [] when nothing has to be copied. */
export function disksToCopy(disks: readonly ClassifiedDisk[]): string[] {
  return disks.filter((d) => d.copy).map((d) => d.target);
}

// Path-component match: "/srv/shared" covers "/srv/shared/a.img" but not "/srv/shared2/a.img".
function underShared(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => {
    const dir = p.replace(/\/+$/, "");
    return dir !== "" && (path === dir || path.startsWith(`${dir}/`));
  });
}
