import { describe, expect, it } from "vitest";
import { GiB, host, MiB, vm } from "@/tests/support/evacuation-kit";
import { pickRetryDestination, type RetryInput } from "./retry-destination";

const base = (over: Partial<RetryInput> = {}): RetryInput => ({
  vm: vm("web-1", "src", { memoryBytes: 8 * GiB, vcpus: 2, kind: "web" }),
  hosts: [host("src", { state: "draining" }), host("a"), host("b"), host("c")],
  failedDestIds: ["a"],
  held: [],
  inbound: new Map(),
  maxDowntimeMs: 300,
  autoConverge: false,
  ...over,
});

describe("pickRetryDestination", () => {
  it("never picks a destination that already failed, nor the source or a draining host", () => {
    const r = pickRetryDestination(
      base({
        hosts: [host("src", { state: "draining" }), host("a"), host("b"), host("other-drain", { state: "draining" })],
      }),
    );
    expect(r.destHostId).toBe("b");
  });

  it("prefers the destination with the fewest migrations heading there, then the most free RAM", () => {
    expect(pickRetryDestination(base({ inbound: new Map([["b", 2]]) })).destHostId).toBe("c");
    const roomier = base({
      hosts: [
        host("src", { state: "draining" }),
        host("a"),
        host("b", { memoryFreeBytes: 20 * GiB }),
        host("c", { memoryFreeBytes: 90 * GiB }),
      ],
    });
    expect(pickRetryDestination(roomier).destHostId).toBe("c");
  });

  it("counts what in-flight migrations and pending moves already hold on a host", () => {
    const hosts = [
      host("src", { state: "draining" }),
      host("a"),
      host("b", { memoryFreeBytes: 10 * GiB }),
      host("c", { memoryFreeBytes: 10 * GiB }),
    ];
    const held = [
      { hostId: "b", memoryBytes: 4 * GiB, vcpus: 2 },
      { hostId: "c", memoryBytes: 6 * GiB, vcpus: 2 },
    ];
    const r = pickRetryDestination(base({ hosts, held }));
    expect(r.destHostId).toBeNull();
    expect(r.reason).toMatch(/already failed on a/);
    expect(r.reason).toMatch(/lack RAM/);
    // With less held on b, b has room (9 GiB) and c still does not (4 GiB).
    expect(
      pickRetryDestination(base({ hosts, held: [{ ...held[0]!, memoryBytes: 1 * GiB }, held[1]!] })).destHostId,
    ).toBe("b");
  });

  it("respects anti-affinity and CPU compatibility with a reason when nothing is left", () => {
    const grouped = base({
      vm: vm("db-1", "src", { antiAffinityGroup: "db", memoryBytes: 4 * GiB }),
      hosts: [
        host("src", { state: "draining" }),
        host("a"),
        host("b", { antiAffinityGroups: ["db"] }),
        host("c", { cpuModel: "EPYC-Rome" }),
      ],
    });
    const r = pickRetryDestination(grouped);
    expect(r.destHostId).toBeNull();
    expect(r.reason).toMatch(/anti-affinity group 'db'/);
    expect(pickRetryDestination({ ...grouped, failedDestIds: [] }).destHostId).toBe("a");
  });

  it("refuses a destination whose NIC is too slow for the VM to converge", () => {
    const busy = vm("busy", "src", {
      memoryBytes: 8 * GiB,
      dirtyRateBps: 300 * MiB,
      workingSetBytes: 6 * GiB,
      transferBytes: 8 * GiB,
    });
    const hosts = [host("src", { state: "draining" }), host("a"), host("slow", { nicBps: 100 * MiB })];
    const r = pickRetryDestination(base({ vm: busy, hosts }));
    expect(r.destHostId).toBeNull();
    expect(r.reason).toMatch(/not to converge/);
  });
});
