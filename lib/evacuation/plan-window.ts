import "server-only";
import { getSshTarget } from "@/lib/db/hosts";
import { getWindowForPlanning, type PreparedPlan, planningFleet, remainingBytesAt } from "@/lib/db/plans";
import { AppError } from "@/lib/errors";
import { measureDirtyRate } from "@/lib/migration-ops/dirty-rate";
import { type Plan, type PlanInput, type PlannerVm, planEvacuation } from "@/lib/planner/evacuate";
import { allowedStrategies } from "@/lib/planner/evacuate-model";
import { rate } from "@/lib/migration/text";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import type { AntiAffinityGroups } from "@/lib/schemas/windows";
import {
  CONSERVATIVE_DIRTY_RATE_BPS,
  groupIndex,
  inflightFrom,
  plannerHosts,
  strategiesFromPolicy,
} from "./planner-input";
import { fleetSignature } from "./schedule";
import type { RateNote, StoredPlan } from "./types";

/** Measures one guest's dirty rate (bytes/s). Injected by tests; over SSH otherwise. */
export type MeasureFn = (vm: { name: string; hostId: string; libvirtUri: string }) => Promise<number>;

const MEASURE_SECONDS = 1;
/** measureDirtyRate gives up after seconds + 10 s; past this the guest gets the conservative estimate. */
const MEASURE_DEADLINE_MS = 15_000;

type PlanningWindow = NonNullable<Awaited<ReturnType<typeof getWindowForPlanning>>>;
type Fleet = Awaited<ReturnType<typeof planningFleet>>;
type FleetHost = Fleet[0][number];
type FleetVm = Fleet[1][number];
type Active = Fleet[2];

/**
 * The dry run: reads the fleet from Postgres, measures every VM to move over SSH (1 s, all in
 * parallel, outside any transaction), and runs the pure planner. Nothing is stored and nothing moves.
 */
export async function preparePlan(windowId: string, measure: MeasureFn = measureOverSsh): Promise<PreparedPlan> {
  const window = await plannableWindow(windowId);
  const drained = new Set(window.hosts.map((h) => h.hostId));
  const [hosts, vms, active, otherDrains] = await planningFleet(windowId);
  const hostById = new Map(hosts.map((h) => [h.id, h]));
  const { notMoved, toMove } = sortOutGuests(vms, drained, active, hostById);

  const rates = await Promise.all(
    toMove.map((vm) => measureOne(vm, hostById.get(vm.hostId)?.libvirtUri ?? "qemu:///system", measure)),
  );
  const draining = new Set([...drained, ...otherDrains.map((h) => h.hostId)]);
  const { input, notes } = await planInput(window, [hosts, vms, active], toMove, rates, draining);
  const plan = planEvacuation(input);
  const allowed = allowedStrategies(input);
  if (active.length)
    notes.push(
      `${active.length} migration${active.length === 1 ? "" : "s"} already in flight counted against destination capacity and NICs`,
    );
  const uuidOf = new Map(toMove.map((v) => [v.id, v.uuid]));
  return {
    plan: {
      ...plan,
      plannedAt: new Date().toISOString(),
      fleetSignature: fleetSignature(hosts, vms),
      rates,
      notMoved,
      notes,
      hostNames: Object.fromEntries(hosts.map((h) => [h.id, h.name])),
      settings: {
        maxOutbound: window.maxOutbound,
        maxInbound: window.maxInbound,
        maxDowntimeMs: window.downtimeBudgetMs,
        autoConvergeWhenNeeded: input.autoConvergeWhenNeeded,
        strategies: { postCopy: allowed.postCopy, suspendAtEnd: allowed.suspendAtEnd },
        policyName: window.policy?.name ?? null,
      },
    },
    moves: moveRows(plan, uuidOf),
  };
}

/** One pending EvacuationMove row per planned move, by the VM's UUID (its id where none is known). */
export function moveRows(plan: Plan, uuidOf: ReadonlyMap<string, string>) {
  return plan.moves.map((m) => ({
    vmUuid: uuidOf.get(m.vmId) ?? m.vmId,
    vmName: m.vmName,
    sourceHostId: m.sourceHostId,
    destHostId: m.destHostId,
    order: m.order,
    plannedStartMs: Math.round(m.startMs),
    plannedEndMs: Math.round(m.endMs),
    autoConverge: m.autoConverge,
  }));
}

async function plannableWindow(windowId: string): Promise<PlanningWindow> {
  const window = await getWindowForPlanning(windowId);
  if (!window) throw new AppError("NOT_FOUND", "No such maintenance window.");
  if (window.state !== "draft" && window.state !== "planned")
    throw new AppError(
      "CONFLICT",
      `This window is ${window.state}: only a draft or planned window can be planned again.`,
    );
  return window;
}

/** The drained hosts' guests, by name: those to move (running, not already migrating) and the rest. */
function sortOutGuests(
  vms: FleetVm[],
  drained: Set<string>,
  active: Active,
  hostById: ReadonlyMap<string, FleetHost>,
): { notMoved: StoredPlan["notMoved"]; toMove: FleetVm[] } {
  const migrating = new Map(active.map((m) => [m.vmUuid, m.destHost.name]));
  const notMoved: StoredPlan["notMoved"] = [];
  const toMove: FleetVm[] = [];
  for (const vm of vms.filter((v) => drained.has(v.hostId)).sort((a, b) => a.name.localeCompare(b.name))) {
    const dest = migrating.get(vm.uuid);
    if (vm.state !== "running")
      notMoved.push({
        vmId: vm.id,
        vmName: vm.name,
        reason: `${vm.state}: only running guests are live-migrated; it stays defined on ${hostById.get(vm.hostId)?.name}`,
      });
    else if (dest) notMoved.push({ vmId: vm.id, vmName: vm.name, reason: `already migrating to ${dest}` });
    else toMove.push(vm);
  }
  return { notMoved, toMove };
}

/** The pure planner's input: the hosts that may take guests, the guests to move, and the in-flight migrations. */
async function planInput(
  window: PlanningWindow,
  [hosts, vms, active]: [FleetHost[], FleetVm[], Active],
  toMove: FleetVm[],
  rates: RateNote[],
  draining: Set<string>,
): Promise<{ input: PlanInput; notes: string[] }> {
  const groupOf = groupIndex(window.antiAffinity as AntiAffinityGroups);
  const hostById = new Map(hosts.map((h) => [h.id, h]));
  const rateOf = new Map(rates.map((r) => [r.vmId, r.dirtyRateBps]));
  const { hosts: plannerHostList, notes } = plannerHosts(
    hosts.map((h) => ({
      ...h,
      memoryFreeBytes: h.memoryFreeBytes === null ? null : Number(h.memoryFreeBytes),
      nicBps: Number(h.nicBps),
    })),
    vms,
    { draining, excluded: new Set(window.excludedHostIds), groupOf, moving: new Set(toMove.map((v) => v.name)) },
  );
  const plannerVms: PlannerVm[] = toMove.map((vm) => ({
    id: vm.id,
    uuid: vm.uuid,
    name: vm.name,
    hostId: vm.hostId,
    vcpus: vm.vcpus,
    memoryBytes: Number(vm.memoryBytes),
    dirtyRateBps: rateOf.get(vm.id) ?? CONSERVATIVE_DIRTY_RATE_BPS,
    antiAffinityGroup: groupOf.get(vm.name) ?? null,
  }));
  const nicOf = new Map(hosts.map((h) => [h.id, Number(h.nicBps)]));
  const atInventory = await remainingAtInventory(active, hostById);
  const input: PlanInput = {
    hosts: plannerHostList,
    vms: plannerVms,
    inflight: inflightFrom(
      active.map((m) => ({
        vmName: m.vmName,
        sourceHostId: m.sourceHostId,
        destHostId: m.destHostId,
        memoryBytes: Number(m.reservation?.memoryBytes ?? m.memoryBytes),
        vcpus: m.reservation?.vcpus ?? m.vcpus,
        remainingBytes: m.samples[0] ? Number(m.samples[0].remainingBytes) : null,
        transferRateBps: m.samples[0]?.transferRateBps ?? null,
        remainingAtInventoryBytes: atInventory.get(m.id) ?? null,
      })),
      nicOf,
      groupOf,
    ),
    maxOutboundPerSource: window.maxOutbound,
    maxInboundPerDest: window.maxInbound,
    maxDowntimeMs: window.downtimeBudgetMs,
    ...strategiesFromPolicy(window.policy),
  };
  return { input, notes };
}

async function measureOne(
  vm: { id: string; name: string; hostId: string },
  libvirtUri: string,
  measure: MeasureFn,
): Promise<RateNote> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const bps = await Promise.race([
      measure({ name: vm.name, hostId: vm.hostId, libvirtUri }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no result within ${MEASURE_DEADLINE_MS / 1000} s`)),
          MEASURE_DEADLINE_MS,
        );
      }),
    ]);
    if (!Number.isFinite(bps) || bps < 0) throw new Error(`unusable measurement ${bps}`);
    return { vmId: vm.id, vmName: vm.name, dirtyRateBps: bps, measured: true };
  } catch (e) {
    const why = e instanceof SshError ? describeSshError(e) : e instanceof Error ? e.message : String(e);
    return {
      vmId: vm.id,
      vmName: vm.name,
      dirtyRateBps: CONSERVATIVE_DIRTY_RATE_BPS,
      measured: false,
      note: `dirty rate not measured (${why}); planned with a conservative ${rate(CONSERVATIVE_DIRTY_RATE_BPS)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function measureOverSsh(vm: { name: string; hostId: string; libvirtUri: string }): Promise<number> {
  const target = await getSshTarget(vm.hostId);
  if (!target) throw new Error("the host key is not confirmed");
  return (await measureDirtyRate(target, vm.libvirtUri, vm.name, MEASURE_SECONDS)).bytesPerSecond;
}

/** Per in-flight migration: its remaining bytes when its destination's free RAM was last read. */
async function remainingAtInventory(
  active: { id: string; destHostId: string }[],
  hostById: ReadonlyMap<string, { lastSeenAt: Date | null }>,
): Promise<Map<string, number>> {
  const rows = await Promise.all(
    active.map(async (m) => {
      const seen = hostById.get(m.destHostId)?.lastSeenAt;
      if (!seen) return null;
      const remaining = await remainingBytesAt(m.id, seen);
      return remaining === null ? null : ([m.id, remaining] as const);
    }),
  );
  return new Map(rows.filter((r) => r !== null));
}
