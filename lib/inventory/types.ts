// What the inventory collector learns about a hypervisor and its domains (pure data).
export type DiskFacts = {
  target: string;
  source: string | null;
  type: string;
  device: string;
  readonly: boolean;
  shared: boolean;
};

export type VmFacts = {
  uuid: string;
  name: string;
  state: string;
  stateReason: string | null;
  vcpus: number;
  memoryBytes: number;
  persistent: boolean;
  disks: DiskFacts[];
  storage: "shared" | "local" | "mixed" | "none";
};

export type HostFacts = {
  libvirtVersion: string;
  qemuVersion: string;
  cpuModel: string;
  cpuVendor: string | null;
  cores: number;
  memoryTotalBytes: number;
  memoryFreeBytes: number;
};

/** Shared when every copied disk is shared; read-only and cdrom disks never need copying. */
export function storageKind(disks: DiskFacts[]): VmFacts["storage"] {
  const copied = disks.filter((d) => !d.readonly && d.device === "disk");
  if (copied.length === 0) return "none";
  const shared = copied.filter((d) => d.shared).length;
  if (shared === copied.length) return "shared";
  return shared === 0 ? "local" : "mixed";
}
