// One simulated hypervisor: its hardware, libvirtd's domains, the faults injected into it,
// and the small OS around virsh (filesystem, process table).
import type { HostFaults, HostSpec } from "../fleet-file";
import { ProcessTable } from "../shell/processes";
import { VirtualFs } from "../shell/vfs";
import type { Domain } from "./domain";
import { isActive } from "./domain-state";
import { stableInt, stableUuid } from "./ids";

export const KERNEL_RELEASE = "6.1.0-28-amd64";

export class SimHost {
  readonly uuid: string;
  readonly domains = new Map<string, Domain>();
  readonly fs: VirtualFs;
  readonly procs: ProcessTable;
  faults: HostFaults;
  /** SSH port, filled in once the listener is bound. */
  port = 0;
  private nextDomainId = 1;

  constructor(
    readonly spec: HostSpec,
    readonly index: number,
    seed: number,
  ) {
    this.uuid = stableUuid(seed, "host", spec.name);
    this.faults = { down: false, sshRefused: false, hang: false, linkDown: false, libvirtdDown: false, ...spec.faults };
    this.fs = new VirtualFs({
      "/etc/hostname": `${spec.name}\n`,
      "/etc/os-release":
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
    });
    this.procs = new ProcessTable(3000 + stableInt(seed, 20000, "pid", spec.name));
  }

  /** Host uptime (s) at sim time `nowMs`: hosts were booted days before the fleet started. */
  uptimeSeconds(nowMs: number): number {
    return Math.floor(86_400 * (3 + this.index) + 3_607 * this.index + nowMs / 1000);
  }

  get name(): string {
    return this.spec.name;
  }

  allocateDomainId(): number {
    return this.nextDomainId++;
  }

  totalKiB(): number {
    return Math.round(this.spec.memoryGiB * 1024 * 1024);
  }

  /** Guest RAM held by QEMU processes on this host (incoming migrations included). */
  guestKiB(): number {
    let sum = 0;
    for (const d of this.domains.values()) if (isActive(d.status)) sum += d.memoryKiB;
    return sum;
  }

  /** What nodememstats calls free, and what a new guest can still get. */
  freeKiB(): number {
    return Math.max(0, this.totalKiB() - this.spec.reservedMiB * 1024 - this.guestKiB());
  }

  vcpusInUse(): number {
    let sum = 0;
    for (const d of this.domains.values()) if (isActive(d.status)) sum += d.vcpus;
    return sum;
  }

  /** Reachable over SSH for new connections. */
  acceptsSsh(): boolean {
    return !this.faults.down && !this.faults.sshRefused;
  }
}
