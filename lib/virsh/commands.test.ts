import { describe, expect, it } from "vitest";
import {
  capabilities,
  destinationUri,
  domBlkList,
  domDirtyRateCalc,
  domInfo,
  domJobAbort,
  domJobInfo,
  domStats,
  domStatsDirtyRate,
  domState,
  dumpXml,
  listAll,
  migrate,
  migrateGetMaxDowntime,
  migrateGetSpeed,
  migratePostcopy,
  migrateSetMaxDowntime,
  migrateSetSpeed,
  nodeInfo,
  nodeMemStats,
  qemuMonitorCommand,
  qemuMonitorHmp,
  resume,
  suspend,
  UNLIMITED_BANDWIDTH_MIB,
  virshVersion,
} from "./commands";
import { VirshArgError } from "./errors";

const U = "qemu:///system";
const V = ["virsh", "-c", U];

describe("simple builders", () => {
  it("build the exact argv of the captured commands", () => {
    expect(virshVersion(U)).toEqual([...V, "version"]);
    expect(nodeInfo(U)).toEqual([...V, "nodeinfo"]);
    expect(capabilities(U)).toEqual([...V, "capabilities"]);
    expect(listAll(U)).toEqual([...V, "list", "--all"]);
    expect(nodeMemStats(U)).toEqual([...V, "nodememstats"]);
    expect(domInfo(U, "vm-idle")).toEqual([...V, "dominfo", "vm-idle"]);
    expect(dumpXml(U, "vm-idle")).toEqual([...V, "dumpxml", "vm-idle"]);
    expect(domBlkList(U, "vm-idle")).toEqual([...V, "domblklist", "vm-idle", "--details"]);
    expect(domState(U, "vm-heavy")).toEqual([...V, "domstate", "vm-heavy", "--reason"]);
    expect(suspend(U, "vm-heavy")).toEqual([...V, "suspend", "vm-heavy"]);
    expect(resume(U, "vm-heavy")).toEqual([...V, "resume", "vm-heavy"]);
    expect(domJobAbort(U, "vm-ac")).toEqual([...V, "domjobabort", "vm-ac"]);
    expect(migratePostcopy(U, "vm-heavy")).toEqual([...V, "migrate-postcopy", "vm-heavy"]);
    expect(migrateGetMaxDowntime(U, "vm-heavy")).toEqual([...V, "migrate-getmaxdowntime", "vm-heavy"]);
    expect(migrateSetMaxDowntime(U, "vm-heavy", 500)).toEqual([...V, "migrate-setmaxdowntime", "vm-heavy", "500"]);
    expect(migrateSetSpeed(U, "vm-heavy", 32)).toEqual([...V, "migrate-setspeed", "vm-heavy", "32"]);
    expect(migrateSetSpeed(U, "vm-heavy", 16, { postcopy: true })).toEqual([
      ...V,
      "migrate-setspeed",
      "vm-heavy",
      "16",
      "--postcopy",
    ]);
    expect(migrateGetSpeed(U, "vm-heavy")).toEqual([...V, "migrate-getspeed", "vm-heavy"]);
    expect(migrateGetSpeed(U, "vm-heavy", { postcopy: true })).toEqual([
      ...V,
      "migrate-getspeed",
      "vm-heavy",
      "--postcopy",
    ]);
    expect(domDirtyRateCalc(U, "vm-heavy", { seconds: 2 })).toEqual([
      ...V,
      "domdirtyrate-calc",
      "vm-heavy",
      "--seconds",
      "2",
    ]);
    expect(domDirtyRateCalc(U, "vm-heavy")).toEqual([...V, "domdirtyrate-calc", "vm-heavy", "--seconds", "1"]);
    expect(domStatsDirtyRate(U, "vm-heavy")).toEqual([...V, "domstats", "vm-heavy", "--dirtyrate"]);
  });

  it("domstats defaults to the whole-host --list-active call of the inventory capture", () => {
    expect(domStats(U)).toEqual([...V, "domstats", "--list-active"]);
    expect(domStats(U, { groups: ["state", "vcpu", "balloon"] })).toEqual([
      ...V,
      "domstats",
      "--state",
      "--vcpu",
      "--balloon",
      "--list-active",
    ]);
    expect(domStats(U, { includeInactive: true })).toEqual([...V, "domstats"]);
  });

  it("domjobinfo is always --rawstats; --keep-completed only with --completed", () => {
    expect(domJobInfo(U, "vm-heavy")).toEqual([...V, "domjobinfo", "vm-heavy", "--rawstats"]);
    expect(domJobInfo(U, "vm-heavy", { completed: true })).toEqual([
      ...V,
      "domjobinfo",
      "vm-heavy",
      "--rawstats",
      "--completed",
    ]);
    expect(domJobInfo(U, "vm-ac", { completed: true, keepCompleted: true })).toEqual([
      ...V,
      "domjobinfo",
      "vm-ac",
      "--rawstats",
      "--completed",
      "--keep-completed",
    ]);
    expect(() => domJobInfo(U, "vm-ac", { keepCompleted: true })).toThrow(VirshArgError);
  });

  it("monitor commands: JSON re-serialised compactly, HMP split into words", () => {
    expect(qemuMonitorCommand(U, "vm-heavy", { execute: "query-migrate" })).toEqual([
      ...V,
      "qemu-monitor-command",
      "vm-heavy",
      '{"execute":"query-migrate"}',
      "--pretty",
    ]);
    expect(
      qemuMonitorCommand(U, "vm-heavy", '{ "execute": "calc-dirty-rate",\n "arguments": {"calc-time": 1} }'),
    ).toEqual([
      ...V,
      "qemu-monitor-command",
      "vm-heavy",
      '{"execute":"calc-dirty-rate","arguments":{"calc-time":1}}',
      "--pretty",
    ]);
    expect(() => qemuMonitorCommand(U, "vm", "{not json")).toThrow(VirshArgError);
    expect(() => qemuMonitorCommand(U, "vm", "[1]")).toThrow(VirshArgError);
    expect(() => qemuMonitorCommand(U, "vm", { arguments: {} })).toThrow(VirshArgError);
    expect(qemuMonitorHmp(U, "vm-heavy", "info migrate")).toEqual([
      ...V,
      "qemu-monitor-command",
      "vm-heavy",
      "--hmp",
      "info",
      "migrate",
    ]);
    expect(() => qemuMonitorHmp(U, "vm", "info --all")).toThrow(VirshArgError);
    expect(() => qemuMonitorHmp(U, "vm", "  ")).toThrow(VirshArgError);
  });
});

describe("migrate", () => {
  const DEST = "qemu+ssh://hv2/system";

  it("is live and p2p by default", () => {
    expect(migrate(U, "vm-heavy", DEST)).toEqual([...V, "migrate", "--live", "--p2p", "vm-heavy", DEST]);
    expect(migrate(U, "vm-heavy", DEST, { p2p: false })).toEqual([...V, "migrate", "--live", "vm-heavy", DEST]);
  });

  it("maps every option to its virsh 9.0 flag", () => {
    expect(
      migrate(U, "vm-heavy", DEST, {
        persistent: true,
        undefineSource: true,
        autoConverge: { initial: 30, increment: 15 },
        postcopy: true,
        postcopyBandwidthMiB: 4,
        bandwidthMiB: 8,
        timeout: { seconds: 15, action: "postcopy" },
        copyStorageAll: true,
        migrateDisks: ["vda", "vdb"],
        parallelConnections: 4,
        compressed: true,
        tls: true,
        verbose: true,
      }),
    ).toEqual([
      ...V,
      "migrate",
      "--live",
      "--p2p",
      "--persistent",
      "--undefinesource",
      "--auto-converge",
      "--auto-converge-initial",
      "30",
      "--auto-converge-increment",
      "15",
      "--postcopy",
      "--postcopy-bandwidth",
      "4",
      "--bandwidth",
      "8",
      "--timeout",
      "15",
      "--timeout-postcopy",
      "--copy-storage-all",
      "--migrate-disks",
      "vda,vdb",
      "--parallel",
      "--parallel-connections",
      "4",
      "--compressed",
      "--tls",
      "--verbose",
      "vm-heavy",
      DEST,
    ]);
    expect(migrate(U, "vm-ac", DEST, { autoConverge: {}, timeout: { seconds: 15, action: "suspend" } })).toEqual([
      ...V,
      "migrate",
      "--live",
      "--p2p",
      "--auto-converge",
      "--timeout",
      "15",
      "--timeout-suspend",
      "vm-ac",
      DEST,
    ]);
    expect(migrate(U, "vm-idle", DEST, { tunnelled: true })).toEqual([
      ...V,
      "migrate",
      "--live",
      "--p2p",
      "--tunnelled",
      "vm-idle",
      DEST,
    ]);
  });

  it("refuses inconsistent option sets", () => {
    expect(() => migrate(U, "vm", DEST, { timeout: { seconds: 15, action: "postcopy" } })).toThrow(/requires postcopy/);
    expect(() => migrate(U, "vm", DEST, { migrateDisks: ["vda"] })).toThrow(/requires copyStorageAll/);
    expect(() => migrate(U, "vm", DEST, { copyStorageAll: true, migrateDisks: [] })).toThrow(VirshArgError);
    expect(() => migrate(U, "vm", DEST, { copyStorageAll: true, migrateDisks: ["vda,vdb"] })).toThrow(VirshArgError);
    expect(() => migrate(U, "vm", DEST, { copyStorageAll: true, migrateDisks: ["--live"] })).toThrow(VirshArgError);
    expect(() => migrate(U, "vm", DEST, { postcopyBandwidthMiB: 4 })).toThrow(/requires postcopy/);
    expect(() => migrate(U, "vm", DEST, { p2p: false, tunnelled: true })).toThrow(/requires p2p/);
    expect(() => migrate(U, "vm", DEST, { timeout: { seconds: 5, action: "kill" as "suspend" } })).toThrow(
      VirshArgError,
    );
  });

  it("validates numbers against the ranges virsh/QEMU accept", () => {
    const bad: [string, Parameters<typeof migrate>[3]][] = [
      ["negative bandwidth", { bandwidthMiB: -1 }],
      ["zero bandwidth", { bandwidthMiB: 0 }],
      ["NaN bandwidth", { bandwidthMiB: Number.NaN }],
      ["infinite bandwidth", { bandwidthMiB: Number.POSITIVE_INFINITY }],
      ["fractional bandwidth", { bandwidthMiB: 1.5 }],
      ["huge bandwidth", { bandwidthMiB: UNLIMITED_BANDWIDTH_MIB + 1 }],
      ["throttle 100 %", { autoConverge: { initial: 100 } }],
      ["throttle 0 %", { autoConverge: { increment: 0 } }],
      ["zero timeout", { timeout: { seconds: 0, action: "suspend" } }],
      ["timeout overflowing ms", { timeout: { seconds: 2147484, action: "suspend" } }],
      ["256 connections", { parallelConnections: 256 }],
    ];
    for (const [label, opts] of bad) expect(() => migrate(U, "vm", DEST, opts), label).toThrow(VirshArgError);
    expect(migrate(U, "vm", DEST, { bandwidthMiB: UNLIMITED_BANDWIDTH_MIB })).toContain("8796093022207");
  });
});

describe("argument validation", () => {
  const builders: [string, (dom: string) => string[]][] = [
    ["dominfo", (d) => domInfo(U, d)],
    ["domjobinfo", (d) => domJobInfo(U, d)],
    ["migrate", (d) => migrate(U, d, "qemu+ssh://hv2/system")],
    ["setspeed", (d) => migrateSetSpeed(U, d, 8)],
    ["suspend", (d) => suspend(U, d)],
    ["qmp", (d) => qemuMonitorCommand(U, d, { execute: "query-migrate" })],
  ];
  const hostile = ["--foo", "-x", "--live", "a\nb", "a\rb", "a\0b", "", "tab\there"];

  it("rejects domain names virsh would misread or that carry control characters", () => {
    for (const [name, build] of builders) {
      for (const dom of hostile) expect(() => build(dom), `${name} ${JSON.stringify(dom)}`).toThrow(VirshArgError);
    }
  });

  it("passes odd but legal names through untouched (quoting is lib/ssh's job)", () => {
    expect(domInfo(U, "it's a $(vm)")).toEqual([...V, "dominfo", "it's a $(vm)"]);
    expect(domInfo(U, "aef80700-7ff5-4e02-970f-aecf3ab475c9")[3]).toBe("dominfo");
  });

  it("rejects bad URIs and out-of-range numbers", () => {
    for (const uri of ["", "-c", "--readonly", "qemu:///system extra", "qemu:///sys\ntem", "no-scheme"]) {
      expect(() => listAll(uri), JSON.stringify(uri)).toThrow(VirshArgError);
    }
    expect(() => migrate(U, "vm", "--desturi")).toThrow(VirshArgError);
    for (const ms of [0, -5, 2_000_001, Number.NaN, 1e21, 2.5]) {
      expect(() => migrateSetMaxDowntime(U, "vm", ms), String(ms)).toThrow(VirshArgError);
    }
    expect(migrateSetMaxDowntime(U, "vm", 2_000_000)).toContain("2000000");
    for (const mib of [0, -1, Number.NaN, UNLIMITED_BANDWIDTH_MIB + 1, Number.MAX_VALUE]) {
      expect(() => migrateSetSpeed(U, "vm", mib), String(mib)).toThrow(VirshArgError);
    }
    for (const seconds of [0, 61, -1, Number.NaN, 1.5]) {
      expect(() => domDirtyRateCalc(U, "vm", { seconds }), String(seconds)).toThrow(VirshArgError);
    }
  });

  it("throws a typed error that names the argument", () => {
    try {
      domInfo(U, "--foo");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VirshArgError);
      expect((e as VirshArgError).argument).toBe("domain");
    }
  });
});

describe("destinationUri", () => {
  const hv2 = { name: "hv2", address: "127.0.0.12" };

  it("fills {host} with the host name, {address} with its address", () => {
    expect(destinationUri("qemu+ssh://{host}/system", hv2)).toBe("qemu+ssh://hv2/system");
    expect(destinationUri("qemu+ssh://root@{address}:2202/system", hv2)).toBe("qemu+ssh://root@127.0.0.12:2202/system");
    expect(destinationUri("qemu+tls://{name}.example.org/system", hv2)).toBe("qemu+tls://hv2.example.org/system");
    expect(destinationUri("qemu+ssh://{address}/system", { name: "x", address: "fd00::12" })).toBe(
      "qemu+ssh://[fd00::12]/system",
    );
  });

  it("refuses values that would change the URI and malformed templates", () => {
    expect(() =>
      destinationUri("qemu+ssh://{host}/system", { name: "hv2/system?socket=/tmp/x#", address: "a" }),
    ).toThrow(VirshArgError);
    expect(() => destinationUri("qemu+ssh://{host}/system", { name: "evil@host", address: "a" })).toThrow(
      VirshArgError,
    );
    expect(() => destinationUri("qemu+ssh://{host}/system", { name: "-oProxyCommand=x", address: "a" })).toThrow(
      VirshArgError,
    );
    expect(() => destinationUri("qemu+ssh://{hots}.{host}/system", hv2)).toThrow(/unknown placeholder/);
    expect(() => destinationUri("qemu+ssh://hv2/system", hv2)).toThrow(VirshArgError);
    expect(() => destinationUri("{host}", hv2)).toThrow(VirshArgError);
  });
});
