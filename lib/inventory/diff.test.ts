import { describe, expect, it } from "vitest";
import { diffVms } from "./diff";
import type { VmFacts } from "./types";

const vm = (uuid: string, over: Partial<VmFacts> = {}): VmFacts => ({
  uuid,
  name: `vm-${uuid}`,
  state: "running",
  stateReason: "booted",
  vcpus: 2,
  memoryBytes: 2 ** 31,
  persistent: true,
  disks: [{ target: "vda", source: "/var/lib/a.qcow2", type: "file", device: "disk", readonly: false, shared: false }],
  storage: "local",
  ...over,
});

describe("diffVms", () => {
  it("writes nothing for an unchanged host", () => {
    const rows = [vm("a"), vm("b")];
    expect(
      diffVms(
        rows,
        rows.map((r) => ({ ...r, disks: r.disks.map((d) => ({ ...d })) })),
      ),
    ).toEqual({ create: [], update: [], remove: [] });
  });

  it("creates new domains, updates changed ones, removes the gone ones", () => {
    const d = diffVms(
      [vm("a"), vm("b"), vm("c")],
      [vm("a"), vm("b", { state: "paused", stateReason: "migrating" }), vm("d")],
    );
    expect(d.create.map((v) => v.uuid)).toEqual(["d"]);
    expect(d.update.map((v) => v.uuid)).toEqual(["b"]);
    expect(d.remove).toEqual(["c"]);
  });

  it("compares disks by field, whatever order jsonb gave their keys", () => {
    const stored = { ...vm("a"), disks: vm("a").disks.map((d) => Object.fromEntries(Object.entries(d).reverse())) };
    expect(diffVms([stored], [vm("a")]).update).toEqual([]);
  });

  it("sees a disk change (hot-plug) as a change", () => {
    const changed = vm("a", {
      disks: [
        ...vm("a").disks,
        { target: "vdb", source: "/mnt/nfs/b", type: "file", device: "disk", readonly: false, shared: true },
      ],
      storage: "mixed",
    });
    expect(diffVms([vm("a")], [changed]).update).toHaveLength(1);
  });
});
