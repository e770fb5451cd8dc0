import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import { blockCountOf, blocksOf, dirtyRateOf, memoryOf, parseDomStats, stateOf, vcpusOf } from "./parse-domstats";

describe("parseDomStats", () => {
  it("reads the whole-host inventory call: state, vCPUs, memory, disks in one go", () => {
    const recs = parseDomStats(loadFixture("inventory-hv1-domstats-list-active.txt").output);
    expect(recs).toHaveLength(1);
    const r = recs[0];
    if (!r) throw new Error("no record");
    expect(r.name).toBe("vm-idle");
    expect(Object.keys(r.stats)).toHaveLength(38);
    expect(r.stats["cpu.time"]).toBe("5490000000");
    expect(stateOf(r)).toEqual({ state: "running", reason: "booted" });
    expect(vcpusOf(r)).toEqual({ current: 1, maximum: 1 });
    expect(memoryOf(r)).toEqual({ currentBytes: 536870912, maximumBytes: 536870912, rssBytes: 235425792 }); // rss 229908 KiB
    expect(blockCountOf(r)).toBe(1);
    expect(blocksOf(r)).toEqual([
      { name: "vda", path: "/var/lib/mig-lab/shared/vm-idle.img", capacityBytes: 67108864, allocationBytes: 0 },
    ]);
    expect(dirtyRateOf(r)).toEqual({
      status: "unstarted",
      startTime: 0,
      periodSeconds: 0,
      mode: "page-sampling",
      mibPerSecond: null,
      bytesPerSecond: null,
    });
  });

  it("returns [] for a host without running domains (output is one blank line)", () => {
    expect(parseDomStats(loadFixture("inventory-hv2-domstats-list-active.txt").output)).toEqual([]);
  });

  it("reads single-group output (--state) and a domain during migration", () => {
    const [r] = parseDomStats(loadFixture("s1-01-domstats-list-active-source.txt").output);
    expect(r && stateOf(r)).toEqual({ state: "running", reason: "booted" });
    expect(r && vcpusOf(r)).toBeNull();
    const [m] = parseDomStats(loadFixture("s1-01-domstats.txt").output);
    expect(m && memoryOf(m)?.rssBytes).toBe(484136 * 1024);
  });

  it("maps numeric state reasons to the words domstate prints", () => {
    const rec = (state: number, reason: number) => ({
      name: "x",
      stats: { "state.state": String(state), "state.reason": String(reason) },
    });
    expect(stateOf(rec(1, 2))).toEqual({ state: "running", reason: "migrated" });
    expect(stateOf(rec(3, 2))).toEqual({ state: "paused", reason: "migrating" });
    expect(stateOf(rec(3, 12))).toEqual({ state: "paused", reason: "post-copy" });
    expect(stateOf(rec(5, 4))).toEqual({ state: "shutoff", reason: "migrated" });
    expect(stateOf(rec(1, 6))).toEqual({ state: "running", reason: "migration canceled" });
    expect(() => stateOf(rec(42, 0))).toThrow(VirshParseError);
  });

  it("reads dirtyrate.* in every phase; MiB/s → bytes/s", () => {
    const dr = (f: string) => {
      const [r] = parseDomStats(loadFixture(f).output);
      return r ? dirtyRateOf(r) : undefined;
    };
    expect(dr("s4-dirtyrate-domstats-before.txt")?.status).toBe("unstarted");
    expect(dr("s4-dirtyrate-virsh-domstats-while-measuring.txt")).toEqual({
      status: "measuring",
      startTime: 7268,
      periodSeconds: 1,
      mode: "page-sampling",
      mibPerSecond: null,
      bytesPerSecond: null,
    });
    expect(dr("s4-dirtyrate-virsh-domstats.txt")).toEqual({
      status: "measured",
      startTime: 7268,
      periodSeconds: 1,
      mode: "page-sampling",
      mibPerSecond: 240,
      bytesPerSecond: 251658240,
    });
    expect(dr("s4-dirtyrate-virsh-domstats-after-workload-change.txt")).toMatchObject({
      periodSeconds: 2,
      mibPerSecond: 17,
    });
    expect(dr("s4-dirtyrate-virsh-domstats-idle.txt")).toMatchObject({
      status: "measured",
      mibPerSecond: 0,
      bytesPerSecond: 0,
    });
    expect(dr("s1-02-domstats-dirtyrate-during-migration.txt")).toMatchObject({
      mibPerSecond: 260,
      bytesPerSecond: 272629760,
    });
    // QEMU died (dirty-bitmap under TCG): the domain block is there but empty.
    expect(dr("s4-dirtyrate-virsh-domstats-dirty-bitmap.txt")).toBeNull();
  });

  it("tolerates CRLF and quotes in names; throws on stray lines", () => {
    expect(parseDomStats("Domain: 'it's'\r\n  state.state=1\r\n")).toEqual([
      { name: "it's", stats: { "state.state": "1" } },
    ]);
    expect(() => parseDomStats("  state.state=1\n")).toThrow(VirshParseError);
    expect(() => parseDomStats("Domain: 'x'\nstate.state=1\n")).toThrow(VirshParseError);
    expect(() => vcpusOf({ name: "x", stats: { "vcpu.current": "one", "vcpu.maximum": "1" } })).toThrow(
      VirshParseError,
    );
  });
});
