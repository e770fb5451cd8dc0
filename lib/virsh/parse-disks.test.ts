// domblklist --details + dumpxml: which disks are shared, local, read-only, to be copied.
import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import { classifyDisks, disksToCopy, parseDomBlkList } from "./parse-domblklist";
import { parseDumpXml } from "./parse-dumpxml";

const SHARED = ["/var/lib/mig-lab/shared/"];

describe("parseDomBlkList", () => {
  it("reads the lab guest's one disk", () => {
    expect(parseDomBlkList(loadFixture("inventory-hv1-domblklist-details.txt").output)).toEqual([
      { type: "file", device: "disk", target: "vda", source: "/var/lib/mig-lab/shared/vm-idle.img" },
    ]);
  });
  it("reads empty drives, sources with spaces and the form without --details", () => {
    const t = [
      " Type    Device   Target   Source",
      "------------------------------------------",
      " file    disk     vda      /srv/local/my disk.qcow2",
      " file    cdrom    sda      -",
      " network disk     vdb      rbd-pool/vm-1-data",
      "",
    ].join("\n");
    expect(parseDomBlkList(t)).toEqual([
      { type: "file", device: "disk", target: "vda", source: "/srv/local/my disk.qcow2" },
      { type: "file", device: "cdrom", target: "sda", source: null },
      { type: "network", device: "disk", target: "vdb", source: "rbd-pool/vm-1-data" },
    ]);
    expect(parseDomBlkList(" Target   Source\n------------------\n vda      /x.img\n")).toEqual([
      { type: null, device: null, target: "vda", source: "/x.img" },
    ]);
    expect(() => parseDomBlkList("vda /x.img\n")).toThrow(VirshParseError);
  });
});

describe("classifyDisks", () => {
  const disks = parseDomBlkList(
    [
      " Type    Device   Target   Source",
      "---------------------------------",
      " file    disk     vda      /var/lib/mig-lab/shared/a.img",
      " file    disk     vdb      /var/lib/mig-lab/shared2/b.img",
      " block   disk     vdc      /dev/vg0/c",
      " network disk     vdd      pool/d",
      " file    cdrom    sda      /iso/x.iso",
      " file    cdrom    sdb      -",
      "",
    ].join("\n"),
  );

  it("marks shared by path prefix (whole components) or network type; cdroms are never copied", () => {
    const c = classifyDisks(disks, { sharedPrefixes: SHARED });
    expect(c.map((d) => [d.target, d.storage, d.readonly, d.copy])).toEqual([
      ["vda", "shared", null, false],
      ["vdb", "local", null, true], // shared2 is not under shared/
      ["vdc", "local", null, true],
      ["vdd", "shared", null, false],
      ["sda", "local", true, false],
      ["sdb", "none", true, false],
    ]);
    expect(disksToCopy(c)).toEqual(["vdb", "vdc"]);
  });

  it("skips local disks known to be read-only from dumpxml", () => {
    const c = classifyDisks(disks, { sharedPrefixes: [], readonlyTargets: ["vdc"] });
    expect(disksToCopy(c)).toEqual(["vda", "vdb"]);
    expect(c.find((d) => d.target === "vdb")?.readonly).toBe(false);
  });

  it("classifies the lab guest: shared and read-only, nothing to copy", () => {
    const blk = parseDomBlkList(loadFixture("inventory-hv1-domblklist-details.txt").output);
    const xml = parseDumpXml(loadFixture("inventory-hv1-dumpxml.txt").output);
    const ro = xml.disks.filter((d) => d.readonly).map((d) => d.target);
    expect(classifyDisks(blk, { sharedPrefixes: SHARED, readonlyTargets: ro })).toEqual([
      {
        type: "file",
        device: "disk",
        target: "vda",
        source: "/var/lib/mig-lab/shared/vm-idle.img",
        storage: "shared",
        readonly: true,
        copy: false,
      },
    ]);
    // Without the shared prefix the disk is local but still not copied: it is read-only.
    expect(disksToCopy(classifyDisks(blk, { sharedPrefixes: [], readonlyTargets: ro }))).toEqual([]);
  });
});

describe("parseDumpXml", () => {
  it("reads identity, sizes and disk flags that domblklist does not show", () => {
    const x = parseDumpXml(loadFixture("inventory-hv1-dumpxml.txt").output);
    expect(x).toEqual({
      name: "vm-idle",
      uuid: "aef80700-7ff5-4e02-970f-aecf3ab475c9",
      memoryBytes: 536870912,
      currentMemoryBytes: 536870912,
      vcpus: 1,
      disks: [
        {
          type: "file",
          device: "disk",
          target: "vda",
          bus: "virtio",
          source: "/var/lib/mig-lab/shared/vm-idle.img",
          readonly: true,
          shareable: false,
          format: "raw",
          cache: "none",
        },
      ],
    });
    expect(parseDumpXml(loadFixture("inventory-hv1-dumpxml-migratable.txt").output).disks[0]?.readonly).toBe(true);
  });
  it("reads network and empty cdrom disks, escaped names; throws on non-domain XML", () => {
    const xml = `<domain type='kvm'><name>a&amp;b</name><uuid>u-1</uuid><memory unit='GiB'>2</memory><vcpu>4</vcpu>
      <devices><disk type='network' device='disk'><source protocol='rbd' name='pool/img'/><target dev='vdb' bus='virtio'/><shareable/></disk>
      <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk></devices></domain>`;
    const x = parseDumpXml(xml);
    expect(x.name).toBe("a&b");
    expect(x.memoryBytes).toBe(2 * 1024 ** 3);
    expect(x.currentMemoryBytes).toBeNull();
    expect(x.disks.map((d) => [d.target, d.source, d.readonly, d.shareable])).toEqual([
      ["vdb", "rbd:pool/img", false, true],
      ["sda", null, true, false],
    ]);
    expect(() => parseDumpXml("<capabilities/>")).toThrow(VirshParseError);
  });
});
