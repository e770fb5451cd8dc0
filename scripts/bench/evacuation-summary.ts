// Issue 17's evacuation table: fleets generated from seeds no test uses, each planned by Convoy
// and by the serial one-at-a-time baseline, Convoy's plan executed on the simulator's engine; per
// fleet: placed by Convoy / by serial / at most (placeable.ts: each fits alone somewhere; a
// baseline's count is no bound, serial once read "22/21"), measured makespan ÷ the tight lower
// bound (tight-bound.ts) and the resource that sets it, overloads, rule violations, planning time.
// Then the planner's time ladder on generated fleets of 100 → 5,000 VMs (planning only): wall
// and CPU time, and CPU time ÷ n·log₂n, which stays flat when the cost grows as n log n.
import { serialOneAtATime } from "@/lib/planner/baselines";
import { placeableBound } from "@/lib/planner/placeable";
import { planEvacuation } from "@/lib/planner/evacuate";
import { checkPlan } from "@/tests/support/evacuation-kit";
import { tightLowerBound } from "@/lib/planner/tight-bound";
import { type Bench, execute, generate, type HostKind, plannerInput } from "./evacuation";
import { scaleFleet } from "./evacuation-scale";

const k = (cpuModel: HostKind["cpuModel"], cores: number, memoryGiB: number, nicGbps: number): HostKind => ({
  cpuModel,
  cores,
  memoryGiB,
  nicGbps,
});

/** Anti-affinity groups of 2–4 among a fleet's database and web VMs (seeded). */
function regroup(b: Bench, seed: number): Bench {
  const groups = new Map<string, string>();
  let n = 0;
  let left = 0;
  for (const v of b.spec.vms.filter((x) => x.profile !== "idle")) {
    if (left === 0) {
      n++;
      left = 2 + ((seed * 7 + n * 13) % 3);
    }
    groups.set(v.name, `aa-${n}`);
    left--;
  }
  return { ...b, groups };
}

export function summaryFleets(): Bench[] {
  const uneven = [
    k("Cascadelake-Server", 32, 96, 10),
    k("Icelake-Server", 48, 256, 25),
    k("Cascadelake-Server", 16, 48, 10),
    k("EPYC-Milan", 64, 128, 25),
    k("Icelake-Server", 48, 160, 10),
    k("Cascadelake-Server", 64, 384, 25),
    k("Icelake-Server", 32, 64, 10),
    k("Cascadelake-Server", 48, 192, 25),
    k("Icelake-Server", 24, 96, 10),
    k("Cascadelake-Server", 32, 128, 10),
  ];
  const destBound = [
    k("Cascadelake-Server", 64, 384, 25),
    ...Array.from({ length: 9 }, () => k("Cascadelake-Server", 48, 160, 10)),
  ];
  const hard = [
    k("Cascadelake-Server", 64, 256, 25),
    k("Cascadelake-Server", 48, 40, 25),
    ...Array.from({ length: 6 }, () => k("Cascadelake-Server", 48, 128, 10)),
  ];
  const big = Array.from({ length: 50 }, (_, i) =>
    k(i % 3 === 0 ? "Icelake-Server" : "Cascadelake-Server", 64, i % 5 === 0 ? 128 : 192, i % 4 === 0 ? 10 : 25),
  );
  const receiving = regroup(generate("destinations already receiving 3 migrations", 7301, uneven, 70, [1]), 7301);
  const names = receiving.spec.vms.filter((v) => v.host !== "hv02").slice(0, 3);
  return [
    regroup(generate("uneven hosts and NICs, anti-affinity groups of 2–4", 7201, uneven, 70, [1, 5]), 7201),
    {
      ...receiving,
      inflight: names
        .map((v, i) => ({ vm: v.name, dest: ["hv06", "hv08", "hv04"][i] ?? "hv06" }))
        .filter((f) => f.dest !== names.find((v) => v.name === f.vm)?.host),
    },
    {
      ...regroup(
        generate("destination-bound: 25 GbE source into 10 GbE hosts, 4 outbound", 7401, destBound, 60, [0], 40),
        7401,
      ),
      maxOutbound: 4,
    },
    hardHead(generate("a hard-to-place hot VM at the head of its source's queue", 7501, hard, 30, [0], 14)),
    regroup(generate("fleet of 400 VMs: drain 4 of 50 hosts", 7601, big, 400, [0, 1, 2, 3]), 7601),
    ...hotOn1GbE(),
  ];
}

/**
 * Issue 17: 1 GbE hosts, and on the drained one three guests writing 16 GiB/s (memory-bandwidth
 * bound): λ > 100, so even auto-converge's 99 % throttle leaves them dirtying faster than the link
 * sends and neither plain pre-copy nor auto-converge moves them. Planned once with a policy that
 * allows post-copy (and suspend-at-end), once with one that allows only suspend-at-end.
 */
function hotOn1GbE(): Bench[] {
  const hosts = Array.from({ length: 8 }, () => k("Cascadelake-Server", 32, 96, 1));
  const b = generate("", 7701, hosts, 40, [0], 10);
  const hot = b.spec.vms.filter((v) => v.host === "hv01" && v.disks.every((d) => d.storage === "shared")).slice(0, 3);
  const dirtyMiBps = new Map(hot.map((v) => [v.name, 16 * 1024]));
  return [
    {
      ...b,
      title: "3 hot VMs (λ > 100) on 1 GbE, policy allows post-copy",
      dirtyMiBps,
      strategies: { postCopy: true, suspendAtEnd: true },
    },
    { ...b, title: "the same, policy allows suspend-at-end only", dirtyMiBps, strategies: { suspendAtEnd: true } },
  ];
}

/** Makes the drained host's largest database VM a hot one that only the small 25 GbE host could converge it on. */
function hardHead(b: Bench): Bench {
  const vms = b.spec.vms.map((v) =>
    v.host === "hv01" && v.profile === "database" && v.memoryMiB >= 16 * 1024
      ? { ...v, profile: "stress" as const }
      : v,
  );
  return { ...b, spec: { ...b.spec, vms } };
}

export async function benchEvacuationSummary(ladder = [100, 200, 400, 1000, 2000, 5000]): Promise<string> {
  const lines = [
    `${"fleet".padEnd(66)}${"placed/serial/max".padStart(18)}${"÷LB".padStart(7)}${"overload".padStart(9)}${"violations".padStart(11)}${"plan".padStart(9)}`,
  ];
  const binding: string[] = [];
  for (const b of summaryFleets()) {
    const input = plannerInput(b);
    const t = performance.now();
    const plan = planEvacuation(input);
    const planMs = performance.now() - t;
    const serial = serialOneAtATime(input).moves.length;
    const moved = new Set(plan.moves.map((m) => m.vmId));
    const tight = tightLowerBound({ ...input, vms: input.vms.filter((v) => moved.has(v.id)) });
    const lb = tight.lowerBoundMs;
    binding.push(`  ${b.title}: set by ${tight.binding?.why ?? "nothing"}`);
    const run = await execute(
      b.spec,
      plan,
      { out: input.maxOutboundPerSource, in: input.maxInboundPerDest, global: Number.POSITIVE_INFINITY },
      b.inflight,
      b.dirtyMiBps,
    );
    const violations = checkPlan(input, plan).length + run.noConverge + run.other;
    lines.push(
      `${b.title.padEnd(66)}${`${plan.moves.length}/${serial}/${placeableBound(input)}`.padStart(18)}${(run.makespanMs / lb).toFixed(2).padStart(7)}${String(run.overload).padStart(9)}${String(violations).padStart(11)}${`${(planMs / 1000).toFixed(2)} s`.padStart(9)}`,
    );
  }
  lines.push(
    "",
    "placed/serial/max: VMs Convoy places / serial-one-at-a-time places / at most any plan places (each fits alone:",
    "pre-checks, RAM and vCPUs after in-flight moves, anti-affinity, converges on the link).",
  );
  lines.push(
    "÷LB: measured makespan ÷ the tight lower bound (each VM's best link among the hosts that could ever take it:",
    "CPU, RAM, anti-affinity; anti-affinity groups on distinct hosts; sources' links and slots, setups holding slots;",
    "CPU-eligible destination groups, destination NICs, RAM packing onto part of a group; in-flight migrations' slots,",
    "the guests' re-sends), which is set by:",
    ...binding,
  );
  lines.push("", "planner time ladder (n VMs on n/2 hosts, n/20 drained; planning only):");
  lines.push(
    `  ${"VMs".padStart(5)}${"wall".padStart(10)}${"CPU".padStart(9)}${"CPU µs ÷ n·log₂n".padStart(19)}  placed     makespan ÷ LB`,
  );
  for (const n of ladder) {
    const input = scaleFleet(n);
    const t = performance.now();
    const cpu = process.cpuUsage();
    const plan = planEvacuation(input);
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    const perNLogN = (cpuS * 1e6) / (n * Math.log2(n));
    lines.push(
      `  ${String(n).padStart(5)}${`${((performance.now() - t) / 1000).toFixed(2)} s`.padStart(10)}${`${cpuS.toFixed(2)} s`.padStart(9)}${perNLogN.toFixed(1).padStart(19)}  ${`${plan.moves.length}/${n}`.padEnd(11)}${plan.ratioToLowerBound.toFixed(3)}`,
    );
  }
  return lines.join("\n");
}
