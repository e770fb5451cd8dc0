import { describe, expect, it } from "vitest";
import { FleetFileError, loadFleetFile, parseFleet, parseFleetYaml } from "./fleet-file";
import { fleetFile } from "./test-support/in-process";

const host = { name: "hv1", cpuModel: "Skylake-Server-IBRS", cores: 8, memoryGiB: 16, nicGbps: 10 };
const vm = {
  name: "vm1",
  host: "hv1",
  vcpus: 1,
  memoryMiB: 1024,
  profile: "idle",
  disks: [{ target: "vda", sizeGiB: 10, storage: "shared" }],
};

function problems(data: unknown): string[] {
  try {
    parseFleet(data);
  } catch (e) {
    if (e instanceof FleetFileError) return e.problems;
    throw e;
  }
  return [];
}

describe("fleet file", () => {
  it("loads the shipped fleets", () => {
    const demo = loadFleetFile(fleetFile("demo.yaml"));
    expect(demo.hosts.length).toBeGreaterThanOrEqual(8);
    expect(demo.vms.length).toBeGreaterThanOrEqual(38);
    expect(new Set(demo.hosts.map((h) => h.cpuModel.startsWith("EPYC")))).toEqual(new Set([true, false]));
    const stress = demo.vms.find((v) => v.profile === "stress" && v.vcpus === 8);
    expect(stress?.memoryMiB).toBe(68664.55078125); // 72,000 MB = 70312500 KiB
    expect(demo.vms.some((v) => v.disks.some((d) => d.storage === "local"))).toBe(true);
    expect(loadFleetFile(fleetFile("test-small.yaml")).hosts).toHaveLength(3);
    expect(loadFleetFile(fleetFile("pileup.yaml")).vms).toHaveLength(10);
  });

  it("fills defaults", () => {
    const f = parseFleet({ hosts: [host], vms: [vm] });
    expect(f.hosts[0]).toMatchObject({ libvirtVersion: "9.0.0", qemuVersion: "7.2.0", reservedMiB: 1024 });
    expect(f.vms[0]).toMatchObject({ state: "running" });
    expect(f).toMatchObject({ sharedStoragePrefix: "/mnt/shared/", seed: 1, timeScale: 1 });
  });

  it("names the path of each problem", () => {
    expect(problems({ hosts: [host], vms: [{ ...vm, host: "hv9" }] })).toEqual(["vms[0].host: unknown host 'hv9'"]);
    expect(problems({ hosts: [{ ...host, cpuModel: "Pentium" }] })[0]).toMatch(/^hosts\[0\]\.cpuModel: /);
    expect(problems({ hosts: [host, host] })).toEqual(["hosts[1].name: duplicate host 'hv1'"]);
    expect(problems({ hosts: [host], vms: [vm, vm] })).toEqual(["vms[1].name: duplicate VM 'vm1'"]);
    expect(problems({ hosts: [host], vms: [{ ...vm, memoryMiB: 20_000 }] })).toEqual([
      "vms[0].memoryMiB: host 'hv1' offers 15360 MiB to guests; its running VMs would need 20000 MiB",
    ]);
    expect(problems({ hosts: [host], vms: [{ ...vm, memoryMiB: 1.0001 }] })[0]).toMatch(
      /^vms\[0\]\.memoryMiB: must be a whole number of KiB/,
    );
    expect(
      problems({ hosts: [host], vms: [{ ...vm, disks: [{ target: "vda", sizeGiB: 1, storage: "nfs" }] }] })[0],
    ).toMatch(/^vms\[0\]\.disks\[0\]\.storage: /);
    expect(problems({ hosts: [{ ...host, extra: 1 }] })[0]).toMatch(/^hosts\[0\]: /);
  });

  it("reports YAML syntax errors", () => {
    expect(() => parseFleetYaml("hosts: [", "bad.yaml")).toThrow(/^invalid fleet file bad\.yaml:\n {2}- YAML: /);
  });
});
