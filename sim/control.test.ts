// Fault injection and run-time controls, seen through virsh (in-process; the SSH listener side
// of the faults is covered in fleet.test.ts).
import { describe, expect, it } from "vitest";
import { parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { FleetControl } from "./control";
import type { HostServer } from "./ssh/host-server";
import { InProcessFleet } from "./test-support/in-process";

const V = "virsh -c qemu:///system";

function setup() {
  const f = new InProcessFleet("test-small.yaml", { timeScale: 1000 });
  const stub = { applyFaults: async () => {}, sessions: { open: 1, opened: 2 } } as unknown as HostServer;
  const control = new FleetControl(f.state, new Map(f.state.hosts.map((h) => [h.name, stub])));
  return { f, control };
}

async function migrating(f: InProcessFleet, line: string) {
  const done = f.start("hv1", line);
  await f.advance(0);
  await f.advance(3000);
  expect(f.state.engine.active()).toHaveLength(1);
  return { done };
}

describe("faults", () => {
  it("libvirtd restart on the source cancels a pre-copy job and the guest keeps running", async () => {
    const { f, control } = setup();
    const mig = await migrating(f, `${V} migrate --live --p2p stress-vm qemu+ssh://hv2/system`);
    await f.sh("hv1", `${V} suspend stress-vm`);
    await control.setFault("hv1", "libvirtd-restart");
    expect(await mig.done).toEqual({
      code: 1,
      stdout: "\n",
      stderr:
        "error: Disconnected from qemu:///system due to end of file\nerror: End of file while reading data: Input/output error\n",
    });
    expect((await f.sh("hv1", `${V} domstate stress-vm --reason`)).stdout).toBe("running (migration canceled)\n\n");
    expect((await f.sh("hv2", `${V} list --all --name`)).stdout).toBe("vm-db\nvm-off\n\n");
  });

  it("a link drop fails in-flight jobs and refuses new ones until it is back", async () => {
    const { f, control } = setup();
    const mig = await migrating(f, `${V} migrate --live stress-vm qemu+ssh://hv2/system`);
    await control.setFault("hv2", "link-drop", true);
    expect((await mig.done).stderr).toBe(
      "error: operation failed: job 'migration out' failed: Unable to write to socket: Connection timed out\n",
    );
    expect((await f.sh("hv1", `${V} migrate --live vm-idle qemu+ssh://hv2/system`)).stderr).toBe(
      "error: Cannot recv data: ssh: connect to host hv2 port 2201: No route to host: Connection reset by peer\n",
    );
    await control.setFault("hv2", "link-drop", false);
    const again = f.start("hv1", `${V} migrate --live vm-idle qemu+ssh://hv2/system`);
    for (
      let i = 0;
      i < 60 && (await Promise.race([again.then(() => true), f.advance(500).then(() => false)])) === false;
      i++
    );
    expect((await again).code).toBe(0);
  });

  it("a failure during post-copy loses the guest on both sides", async () => {
    const { f, control } = setup();
    const mig = await migrating(
      f,
      `${V} migrate --live --postcopy stress-vm qemu+ssh://hv2/system --postcopy-bandwidth 1`,
    );
    await f.sh("hv1", `${V} migrate-postcopy stress-vm`);
    await f.advance(1000);
    await control.setFault("hv2", "down", true);
    expect((await mig.done).stderr).toBe("error: operation failed: job 'migration out' failed in post-copy phase\n");
    expect((await f.sh("hv1", `${V} domstate stress-vm --reason`)).stdout).toBe("paused (post-copy failed)\n\n");
  });
});

describe("run-time controls", () => {
  it("changes a guest's workload and the time scale", async () => {
    const { f, control } = setup();
    control.setWorkload("vm-web", { dirtyRateMiBps: 0 });
    await f.sh("hv1", `${V} domdirtyrate-calc vm-web --seconds 1`);
    await f.advance(1500);
    expect((await f.sh("hv1", `${V} domstats vm-web --dirtyrate`)).stdout).toContain(
      "dirtyrate.megabytes_per_second=0\n",
    );
    control.setWorkload("vm-web", { profile: "stress", dirtyRateMiBps: null });
    await f.sh("hv1", `${V} domdirtyrate-calc vm-web --seconds 1`);
    await f.advance(1500);
    const rate = Number(
      /megabytes_per_second=(\d+)/.exec((await f.sh("hv1", `${V} domstats vm-web --dirtyrate`)).stdout)?.[1],
    );
    expect(rate).toBeGreaterThan(500);
    expect(() => control.setWorkload("nope", { profile: "idle" })).toThrow("unknown VM 'nope'");
    control.setTimeScale(25);
    expect(f.state.timeScale).toBe(25);
    expect(
      control
        .state()
        .hosts.find((h) => h.name === "hv1")
        ?.domains.find((d) => d.name === "vm-web")?.profile,
    ).toBe("stress");
  });
});

describe("stats (tests and the load bench)", () => {
  it("counts virsh migrate per VM and stamps each running job's statistics when served, leaving virsh's output alone", async () => {
    const { f, control } = setup();
    await migrating(f, `${V} migrate --live --p2p stress-vm qemu+ssh://hv2/system`);
    const before = Date.now();
    const job = parseDomJobInfo((await f.sh("hv1", `${V} domjobinfo stress-vm --rawstats`)).stdout);
    const stats = control.stats();
    expect(stats.migrateCalls).toEqual({ "stress-vm": 1 });
    const [elapsedMs, servedAt] = stats.jobInfoServed["stress-vm"]?.at(-1) ?? [];
    expect(elapsedMs).toBe(job.timeElapsedMs);
    expect(servedAt).toBeGreaterThanOrEqual(before);
    expect(stats.ssh.hv1).toEqual({ open: 1, opened: 2 });
  });
});
