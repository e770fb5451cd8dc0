// One in-flight live migration as the two libvirtds see it: the source domain, its incoming
// copy on the destination, the physics model, and how the blocking `virsh migrate` learns
// the outcome.
import type { PrecopyMigration } from "../physics/precopy";
import type { Domain } from "../model/domain";
import type { SimHost } from "../model/host";

export interface MigrateFlags {
  live: boolean;
  p2p: boolean;
  tunnelled: boolean;
  persistent: boolean;
  undefineSource: boolean;
  autoConverge: boolean;
  autoConvergeInitial?: number;
  autoConvergeIncrement?: number;
  postcopy: boolean;
  postcopyAfterPrecopy: boolean;
  bandwidthMiB?: number;
  postcopyBandwidthMiB?: number;
  timeout?: { seconds: number; action: "suspend" | "postcopy" };
  copyStorageAll: boolean;
  copyStorageInc: boolean;
  migrateDisks?: string[];
  parallelConnections?: number;
  unsafe: boolean;
}

export type MigrationOutcome =
  | { kind: "completed" }
  | { kind: "cancelled" }
  /** `lines`: the error chain virsh prints, without "error: ". */
  | { kind: "failed"; lines: string[] };

export interface MigrationJob {
  id: number;
  src: SimHost;
  dst: SimHost;
  srcDom: Domain;
  dstDom: Domain;
  /** Inactive definition the incoming domain replaced on the destination (restored on failure). */
  replacedDef: Domain | undefined;
  flags: MigrateFlags;
  physics: PrecopyMigration;
  state: "running" | "postcopy" | "done";
  outcome: Promise<MigrationOutcome>;
  settle: (o: MigrationOutcome) => void;
  /** The source's migration tunables before the job; libvirt restores them after a failure. */
  savedTunables: Domain["tunables"];
  /** memory_processed when post-copy began (QEMU splits precopy-bytes / postcopy-bytes there). */
  postcopyFromBytes: number | undefined;
}
