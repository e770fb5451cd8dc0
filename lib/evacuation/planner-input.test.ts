import { describe, expect, it } from "vitest";
import { copiedDisks, groupIndex, type HostFacts, inflightFrom, plannerHosts } from "./planner-input";

const GiB = 2 ** 30;
const h = (id: string, over: Partial<HostFacts> = {}): HostFacts => ({
  id,
  name: id,
  status: "active",
  reachable: true,
  cpuModel: "Cascadelake-Server",
  cores: 32,
  memoryFreeBytes: 64 * GiB,
  nicBps: 1.25e9,
  libvirtVersion: "9.0.0",
  ...over,
});

describe("plannerHosts", () => {
  const groupOf = groupIndex({ db: ["db-1", "db-2"] });
  const vms = [
    { name: "db-1", hostId: "src", state: "running", vcpus: 4 },
    { name: "db-2", hostId: "b", state: "running", vcpus: 4 },
    { name: "web", hostId: "b", state: "running", vcpus: 2 },
    { name: "off", hostId: "b", state: "shut off", vcpus: 8 },
  ];

  it("marks drained, excluded, out-of-service, unreachable and un-inventoried hosts, each with a note", () => {
    const { hosts, notes } = plannerHosts(
      [
        h("src"),
        h("b"),
        h("x"),
        h("m", { status: "maintenance" }),
        h("u", { reachable: false }),
        h("n", { cores: null }),
      ],
      vms,
      { draining: new Set(["src"]), excluded: new Set(["x"]), groupOf, moving: new Set(["db-1"]) },
    );
    expect(Object.fromEntries(hosts.map((x) => [x.id, x.state]))).toEqual({
      src: "draining",
      b: "active",
      x: "excluded",
      m: "excluded",
      u: "excluded",
      n: "excluded",
    });
    expect(notes).toHaveLength(4);
    expect(notes.join("\n")).toMatch(
      /x: excluded by the window[\s\S]*m: not a destination \(status maintenance\)[\s\S]*unreachable[\s\S]*no inventory/,
    );
  });

  it("counts running vCPUs only and the anti-affinity groups of VMs that stay", () => {
    const { hosts } = plannerHosts([h("src"), h("b")], vms, {
      draining: new Set(["src"]),
      excluded: new Set(),
      groupOf,
      moving: new Set(["db-1"]),
    });
    const b = hosts.find((x) => x.id === "b");
    expect(b?.vcpusInUse).toBe(6);
    expect(b?.antiAffinityGroups).toEqual(["db"]);
    expect(hosts.find((x) => x.id === "src")?.antiAffinityGroups).toEqual([]);
  });
});

describe("inflightFrom", () => {
  it("takes the remaining time from the last sample, else the whole guest at the slower NIC", () => {
    const nic = new Map([
      ["s", 1e9],
      ["d", 5e8],
    ]);
    const [sampled, queued] = inflightFrom(
      [
        {
          vmName: "a",
          sourceHostId: "s",
          destHostId: "d",
          memoryBytes: 4e9,
          vcpus: 2,
          remainingBytes: 1e9,
          transferRateBps: 5e8,
          remainingAtInventoryBytes: 1.5e9,
        },
        {
          vmName: "db-1",
          sourceHostId: "s",
          destHostId: "d",
          memoryBytes: 4e9,
          vcpus: 2,
          remainingBytes: null,
          transferRateBps: null,
          remainingAtInventoryBytes: null,
        },
      ],
      nic,
      groupIndex({ db: ["db-1", "db-2"] }),
    );
    expect(sampled?.remainingMs).toBe(2000);
    expect(queued).toMatchObject({ remainingMs: 8000, antiAffinityGroup: "db" });
    // What had arrived when the destination's free RAM was read is already out of that figure.
    expect(sampled?.arrivedBytes).toBe(2.5e9);
    expect(queued?.arrivedBytes).toBe(0);
  });
});

describe("copiedDisks", () => {
  it("copies writable local disks only", () => {
    expect(
      copiedDisks([
        { target: "vda", device: "disk", readonly: false, shared: false },
        { target: "vdb", device: "disk", readonly: false, shared: true },
        { target: "vdc", device: "disk", readonly: true, shared: false },
        { target: "sda", device: "cdrom", readonly: true, shared: false },
      ]),
    ).toEqual(["vda"]);
  });
});
