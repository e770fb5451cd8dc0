// The console's own parsers (lib/virsh, pure) must read everything the sim prints — the other
// half of "the console runs the exact code paths it will use on real hosts".
import { describe, expect, it } from "vitest";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { parseCapabilities } from "@/lib/virsh/parse-capabilities";
import { parseDomInfo } from "@/lib/virsh/parse-dominfo";
import { parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import { dirtyRateOf, parseDomStats } from "@/lib/virsh/parse-domstats";
import { parseDumpXml } from "@/lib/virsh/parse-dumpxml";
import { parseHmpInfoMigrate } from "@/lib/virsh/parse-hmp";
import { parseList } from "@/lib/virsh/parse-list";
import { parseNodeInfo } from "@/lib/virsh/parse-nodeinfo";
import { parseNodeMemStats } from "@/lib/virsh/parse-nodememstats";
import { parseQueryMigrate, parseQueryMigrateParameters } from "@/lib/virsh/parse-qmp";
import { parseVersion } from "@/lib/virsh/parse-version";
import { InProcessFleet } from "../test-support/in-process";

const V = "virsh -c qemu:///system";

describe("lib/virsh parsers on the sim's output", () => {
  it("inventory", async () => {
    const f = new InProcessFleet("test-small.yaml", { timeScale: 1000 });
    const sh = async (line: string) => (await f.sh("hv1", `${V} ${line}`)).stdout;
    expect(parseVersion(await sh("version")).libvirt).toBe("9.0.0");
    expect(parseCapabilities(await sh("capabilities")).cpu.model).toBe("Skylake-Server-IBRS");
    expect(parseNodeInfo(await sh("nodeinfo")).cpus).toBe(16);
    expect(parseNodeMemStats(await sh("nodememstats")).totalBytes).toBe(128 * 1024 ** 3);
    expect(parseList(await sh("list --all")).map((d) => d.name)).toEqual([
      "stress-vm",
      "vm-idle",
      "vm-web",
      "vm-local",
    ]);
    const info = parseDomInfo(await sh("dominfo stress-vm"));
    expect(info).toMatchObject({ name: "stress-vm", vcpus: 8, maxMemoryBytes: 72_000_000_000 });
    expect(parseDomState(await sh("domstate stress-vm --reason"))).toMatchObject({
      state: "running",
      reason: "booted",
    });
    const xml = parseDumpXml(await sh("dumpxml vm-local"));
    expect(xml).toMatchObject({ name: "vm-local", vcpus: 2, memoryBytes: 4096 * 1024 ** 2 });
    expect(xml.disks[0]).toMatchObject({
      target: "vda",
      source: "/var/lib/libvirt/images/vm-local-vda.qcow2",
      readonly: false,
    });
    await f.advance(3000);
    expect(parseDomStats(await sh("domstats --list-active")).length).toBe(4);
  });

  it("migration state, monitor replies and error texts", async () => {
    const f = new InProcessFleet("test-small.yaml", { timeScale: 1000 });
    const sh = async (line: string) => (await f.sh("hv1", `${V} ${line}`)).stdout;
    // With no speed set, QEMU would report max-bandwidth 9223372036853727232 (libvirt's
    // "unlimited" in bytes), which lib/virsh's parameter parser rejects as unsafe: set one.
    await f.sh("hv1", `${V} migrate-setspeed stress-vm 900`);
    void f.start("hv1", `${V} migrate --live --p2p stress-vm qemu+ssh://hv2/system`);
    await f.advance(0);
    await f.advance(12_000);
    const job = parseDomJobInfo(await sh("domjobinfo stress-vm --rawstats"));
    expect(job.type).toBe("unbounded");
    const pretty = parseDomJobInfo(await sh("domjobinfo stress-vm"));
    expect(pretty.type).toBe("unbounded");
    const q = parseQueryMigrate(await sh(`qemu-monitor-command stress-vm '{"execute":"query-migrate"}' --pretty`));
    expect(q.status).toBe("active");
    expect(
      parseQueryMigrateParameters(
        await sh(`qemu-monitor-command stress-vm '{"execute":"query-migrate-parameters"}' --pretty`),
      ).downtimeLimitMs,
    ).toBe(300);
    expect(parseHmpInfoMigrate(await sh("qemu-monitor-command stress-vm --hmp info migrate")).status).toBe("active");
    await f.sh(
      "hv1",
      `${V} qemu-monitor-command stress-vm '{"execute":"calc-dirty-rate","arguments":{"calc-time":1}}'`,
    );
    await f.advance(1500);
    const rec = parseDomStats(await sh("domstats stress-vm --dirtyrate"))[0];
    expect(rec && dirtyRateOf(rec)?.status).toBe("measured");
    const errs = [
      [(await f.sh("hv1", `${V} resume stress-vm`)).stderr, "state-change-lock-timeout"],
      [(await f.sh("hv2", `${V} domjobinfo stress-vm`)).stderr, "not-migration-source"],
      [(await f.sh("hv1", `${V} migrate-postcopy stress-vm`)).stderr, "postcopy-not-armed"],
      [(await f.sh("hv1", `${V} migrate --live vm-idle qemu+ssh://hv3/system`)).stderr, "cpu-incompatible"],
      [(await f.sh("hv1", `${V} migrate --live vm-local qemu+ssh://hv2/system`)).stderr, "unsafe-migration"],
      [(await f.sh("hv1", `${V} migrate --live --p2p vm-idle qemu+ssh://nohost/system`)).stderr, "dest-unreachable"],
    ] as const;
    for (const [text, kind] of errs) expect(classifyVirshError(text).kind).toBe(kind);
  });
});
