// Where a VM may go: the static pre-checks of runPrechecks (host in service, distinct, libvirt not
// older, compatible CPU model, vCPUs ≤ cores) and the reservation ledger (RAM and vCPU room after
// every reservation of the plan and every in-flight migration, anti-affinity groups). Each refusal
// comes with a human-readable reason. Pure.
import { formatBytes } from "@/lib/format";
import { type PrecheckHost, runPrechecks, VCPU_OVERCOMMIT } from "./prechecks";
import type { PlannerHost, PlannerVm } from "./evacuate-types";

const STATIC_CHECKS = ["distinct", "dest-available", "libvirt-version", "cpu-model", "vcpus-cores"] as const;

function asPrecheckHost(h: PlannerHost): PrecheckHost {
  return {
    id: h.id,
    name: h.name,
    status: h.state,
    libvirtVersion: h.libvirtVersion,
    cpuModel: h.cpuModel,
    cores: h.cores,
    memoryFreeBytes: h.memoryFreeBytes,
  };
}

export type StaticResult = { dests: PlannerHost[]; reason: string | null };

/**
 * Static eligibility: the checks depend on the hosts' CPU models, libvirt versions, cores and state
 * and the VM's vCPUs, never on load, so they are cached per such class (a fleet of thousands of
 * hosts has a handful), and each source's list of destinations per vCPU count.
 */
export class Eligibility {
  private readonly cache = new Map<string, { ok: boolean; failed: string[] }>();
  private readonly lists = new Map<string, StaticResult>();
  private readonly sorted: PlannerHost[];

  constructor(
    hosts: readonly PlannerHost[],
    private readonly byId: ReadonlyMap<string, PlannerHost>,
  ) {
    this.sorted = [...hosts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const h of hosts) this.classOf.set(h.id, [h.cpuModel, h.libvirtVersion, h.cores, h.state].join("\0"));
  }

  private readonly classOf = new Map<string, string>();

  private check(vm: PlannerVm, src: PlannerHost, dest: PlannerHost): { ok: boolean; failed: string[] } {
    const key = `${this.classOf.get(src.id)}\0${this.classOf.get(dest.id)}\0${vm.vcpus}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const r = runPrechecks({
      vm: { uuid: vm.uuid, name: vm.name, hostId: vm.hostId, vcpus: vm.vcpus, memoryBytes: vm.memoryBytes, disks: [] },
      liveState: "running",
      source: asPrecheckHost(src),
      dest: asPrecheckHost(dest),
      load: { reachable: true, reservedBytes: 0, reservedVcpus: 0, vcpusInUse: dest.vcpusInUse },
      alreadyMigrating: false,
    });
    const failed = r.checks
      .filter((c) => (STATIC_CHECKS as readonly string[]).includes(c.id) && !c.ok)
      .map((c) => `${c.label}: ${c.detail}`);
    const out = { ok: failed.length === 0, failed };
    this.cache.set(key, out);
    return out;
  }

  destinations(vm: PlannerVm): StaticResult {
    // Per source class, unless the source could itself be a destination (then its own list).
    const src = this.byId.get(vm.hostId);
    const key =
      src && src.state !== "active" ? `class\0${this.classOf.get(src.id)}\0${vm.vcpus}` : `${vm.hostId}\0${vm.vcpus}`;
    const hit = this.lists.get(key);
    if (hit) return hit;
    const out = this.compute(vm);
    this.lists.set(key, out);
    return out;
  }

  private compute(vm: PlannerVm): StaticResult {
    const src = this.byId.get(vm.hostId);
    if (!src) return { dests: [], reason: `source host ${vm.hostId} is not in the inventory` };
    const others = this.sorted.filter((h) => h.id !== src.id);
    const active = others.filter((h) => h.state === "active");
    if (active.length === 0) return { dests: [], reason: "no destination: every other host is draining or excluded" };
    const dests: PlannerHost[] = [];
    const refusals: { host: PlannerHost; failed: string[] }[] = [];
    for (const h of active) {
      const c = this.check(vm, src, h);
      if (c.ok) dests.push(h);
      else refusals.push({ host: h, failed: c.failed });
    }
    if (dests.length > 0) return { dests, reason: null };
    const maxCores = Math.max(...active.map((h) => h.cores));
    if (vm.vcpus > maxCores)
      return { dests, reason: `${vm.vcpus} vCPUs: more than the cores of any active host (at most ${maxCores})` };
    if (refusals.every((r) => r.failed.some((f) => f.startsWith("Compatible CPU model")))) {
      return {
        dests,
        reason: `CPU model ${src.cpuModel ?? "unknown"} is incompatible with every active host (${list(refusals)})`,
      };
    }
    return { dests, reason: `no eligible destination (${list(refusals)})` };
  }
}

function list(refusals: { host: PlannerHost; failed: string[] }[]): string {
  const shown = refusals.slice(0, 4).map((r) => `${r.host.name}: ${r.failed.join(", ")}`);
  return shown.join("; ") + (refusals.length > 4 ? `; and ${refusals.length - 4} more` : "");
}

export type Room = "ok" | "ram" | "vcpu" | "affinity";

/** Reservations on destinations: in-flight migrations and the moves of this plan, from their start. */
export class Ledger {
  private readonly bytes = new Map<string, number>();
  private readonly vcpus = new Map<string, number>();
  private readonly groups = new Map<string, Set<string>>();

  constructor(hosts: readonly PlannerHost[]) {
    for (const h of hosts) this.groups.set(h.id, new Set(h.antiAffinityGroups ?? []));
  }

  reserve(hostId: string, memoryBytes: number, vcpus: number, group: string | null | undefined): void {
    this.bytes.set(hostId, (this.bytes.get(hostId) ?? 0) + memoryBytes);
    this.vcpus.set(hostId, (this.vcpus.get(hostId) ?? 0) + vcpus);
    if (group) {
      const g = this.groups.get(hostId) ?? new Set<string>();
      g.add(group);
      this.groups.set(hostId, g);
    }
  }

  freeBytes(h: PlannerHost): number {
    return h.memoryFreeBytes - (this.bytes.get(h.id) ?? 0);
  }

  vcpuRoom(h: PlannerHost): number {
    return h.cores * VCPU_OVERCOMMIT - h.vcpusInUse - (this.vcpus.get(h.id) ?? 0);
  }

  /** The same RAM and vCPU-room rules as runPrechecks, plus anti-affinity. */
  room(vm: PlannerVm, h: PlannerHost): Room {
    if (vm.antiAffinityGroup && this.groups.get(h.id)?.has(vm.antiAffinityGroup)) return "affinity";
    if (this.freeBytes(h) < vm.memoryBytes) return "ram";
    if (this.vcpuRoom(h) < vm.vcpus) return "vcpu";
    return "ok";
  }

  /** Why none of `dests` can take the VM. */
  noRoomReason(vm: PlannerVm, dests: readonly PlannerHost[]): string {
    const by = (r: Room) => dests.filter((h) => this.room(vm, h) === r);
    const parts: string[] = [];
    const ram = by("ram");
    if (ram.length > 0) {
      const best = [...ram].sort((a, b) => this.freeBytes(b) - this.freeBytes(a))[0];
      parts.push(
        `${ram.length} lack RAM (most free after reservations: ${formatBytes(Math.max(0, best ? this.freeBytes(best) : 0))} on ${best?.name})`,
      );
    }
    const cpu = by("vcpu");
    if (cpu.length > 0) parts.push(`${cpu.length} lack vCPU room (${VCPU_OVERCOMMIT}:1 overcommit)`);
    const aa = by("affinity");
    if (aa.length > 0) parts.push(`${aa.length} already hold anti-affinity group '${vm.antiAffinityGroup}'`);
    return `no destination has room for ${formatBytes(vm.memoryBytes)} and ${vm.vcpus} vCPU${vm.vcpus === 1 ? "" : "s"}: of ${dests.length} eligible host${dests.length === 1 ? "" : "s"}, ${parts.join(", ")}`;
  }
}
