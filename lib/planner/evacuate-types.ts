// Types of the evacuation planner (issue 5). Units: bytes, bytes/s, ms. Pure data, no behaviour.

export type PlannerHost = {
  id: string;
  name: string;
  cpuModel: string | null;
  cores: number;
  /** Free RAM as the host reports it (nodememstats "free"), before any reservation of ours. */
  memoryFreeBytes: number;
  vcpusInUse: number;
  /** Usable migration bandwidth of the host's NIC, the same both ways (full duplex). */
  nicBps: number;
  libvirtVersion: string | null;
  state: "active" | "draining" | "excluded";
  /** Addition: anti-affinity groups of the VMs already on this host that are not being moved. */
  antiAffinityGroups?: string[];
};

export type PlannerVm = {
  id: string;
  uuid: string;
  name: string;
  hostId: string;
  vcpus: number;
  /** Guest RAM: what the destination must hold. */
  memoryBytes: number;
  dirtyRateBps: number;
  workingSetBytes?: number;
  antiAffinityGroup?: string | null;
  /** Local disks copied first (--copy-storage-all), at the same bandwidth. */
  copyStorageBytes?: number;
  /**
   * Addition: bytes the first pass really sends (non-zero pages plus zero-page headers,
   * migration-physics A.9); defaults to memoryBytes. Configured RAM overstates it a lot for idle guests.
   */
  transferBytes?: number;
};

export type InFlight = {
  sourceHostId: string;
  destHostId: string;
  memoryBytes: number;
  vcpus: number;
  remainingMs: number;
  /** Addition: the migrating VM's anti-affinity group (it lands on destHostId). */
  antiAffinityGroup?: string | null;
  /**
   * Addition (issue 17): bytes of its RAM already on the destination when that host's free RAM was
   * reported. QEMU allocates guest RAM on the destination as pages arrive, so the reported free
   * figure is already net of them; only memoryBytes − arrivedBytes is still to come. Default 0.
   */
  arrivedBytes?: number;
};

/** What an in-flight migration will still take on its destination beyond the host's reported free RAM. */
export const stillToArrive = (f: Pick<InFlight, "memoryBytes" | "arrivedBytes">): number =>
  Math.max(0, f.memoryBytes - Math.max(0, f.arrivedBytes ?? 0));

/**
 * How a move runs (issue 17), in order of disruption to the guest: pre-copy alone; pre-copy with
 * its vCPUs throttled; pre-copy then a pause of the guest for what is left (within the downtime
 * budget); one pre-copy pass then post-copy (the guest runs on the destination fetching pages over
 * the network, so a network failure then loses it).
 */
export const STRATEGIES = ["plain", "auto-converge", "suspend-at-end", "post-copy"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export type PlanInput = {
  hosts: PlannerHost[];
  /** The VMs on the hosts being drained. */
  vms: PlannerVm[];
  inflight: InFlight[];
  /** Default 2. */
  maxOutboundPerSource: number;
  /** Default 2. */
  maxInboundPerDest: number;
  maxDowntimeMs: number;
  /** Single-stream throughput ceiling (CPU-bound migration thread or a configured limit). */
  perStreamCapBps?: number;
  /** Policy: VMs predicted not to converge even alone get auto-converge; otherwise they are flagged. */
  autoConvergeWhenNeeded: boolean;
  /**
   * Addition (issue 17): the window's policy also allows post-copy (it has a switch-to-postcopy
   * step) or suspending the guest to finish (a suspend-to-finish step). Both default to false.
   */
  strategies?: { postCopy?: boolean; suspendAtEnd?: boolean };
  /** Setup + switchover per move, when the link carries nothing for it (default 1500). */
  fixedOverheadMs?: number;
};

export type PlannedMove = {
  vmId: string;
  vmName: string;
  sourceHostId: string;
  destHostId: string;
  startMs: number;
  endMs: number;
  /** Average bandwidth the move gets while it transfers (its fair share, which changes over time). */
  bandwidthBps: number;
  /**
   * Addition: start it rate-limited to this (virsh migrate --bandwidth, MiB/s = ⌊this / 2^20⌋). Set
   * only on "filler" moves that use what a per-stream-capped move leaves of the source's egress;
   * the executor must honour it, or the move it rides along with loses bandwidth.
   */
  maxBandwidthBps?: number;
  /** strategy === "auto-converge" (kept: EvacuationMove rows and older stored plans carry it). */
  autoConverge: boolean;
  /** Addition (issue 17): how it is launched; absent in plans stored before it (then from autoConverge). */
  strategy: Strategy;
  /**
   * Addition (issue 17), post-copy and suspend-at-end only: its first pass at its planned
   * bandwidth, ms from its start; the executor switches to post-copy (or pauses) after it.
   */
  switchAfterMs?: number;
  /** D / bandwidthBps. */
  lambda: number;
  /** 0-based start order. */
  order: number;
};

export type Unplaced = { vmId: string; vmName: string; reason: string };

export type Plan = {
  moves: PlannedMove[];
  unplaced: Unplaced[];
  /** VMs needing an operator decision (also listed in unplaced: they get no slot until decided). */
  flagged: { vmId: string; vmName: string; reason: string }[];
  makespanMs: number;
  /** tightLowerBound over the VMs this plan moves (issue 17; C.3's bound before). */
  lowerBoundMs: number;
  /** Addition (issue 17): which resource sets that bound, in one line for the operator. */
  lowerBoundWhy?: string;
  ratioToLowerBound: number;
};

export const DEFAULT_MAX_OUTBOUND = 2;
export const DEFAULT_MAX_INBOUND = 2;
