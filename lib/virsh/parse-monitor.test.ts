// qemu-monitor-command replies: QMP JSON and HMP text. Both exit 0 on QEMU errors.
import { describe, expect, it } from "vitest";
import { QmpError, VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import {
  parseHmpInfoDirtyRate,
  parseHmpInfoMigrate,
  parseHmpKeyValues,
  parseHmpMigrateCapabilities,
  parseHmpReply,
} from "./parse-hmp";
import { parseDomJobInfo } from "./parse-domjobinfo";
import {
  parseQmpEmptyReturn,
  parseQmpReply,
  parseQueryDirtyRate,
  parseQueryMigrate,
  parseQueryMigrateParameters,
} from "./parse-qmp";

const out = (f: string) => loadFixture(f).output;

describe("QMP replies", () => {
  it("separates return from error (errors exit 0)", () => {
    const c = loadFixture("s1-04-qmp-migrate-set-capabilities-auto-converge-mid-migration.txt");
    expect(c.exitStatus).toBe(0);
    expect(parseQmpReply(c.output)).toEqual({
      ok: false,
      id: "libvirt-516",
      error: { class: "GenericError", desc: "There's a migration process in progress" },
    });
    expect(parseQmpReply(out("s1-02-calc-dirty-rate-during-migration.txt"))).toEqual({
      ok: true,
      value: {},
      id: "libvirt-464",
    });
    expect(() => parseQmpEmptyReturn(c.output)).toThrow(QmpError);
    expect(() => parseQmpEmptyReturn(out("s4-dirtyrate-qmp-calc-page-sampling.txt"))).not.toThrow();
    expect(() => parseQmpEmptyReturn(out("s1-04-qmp-migrate-set-parameters-throttle-mid-migration.txt"))).not.toThrow();
    expect(() => parseQmpReply("error: Unable to read from monitor: Connection reset by peer\n")).toThrow(
      VirshParseError,
    );
    expect(() => parseQmpReply('{"id":"x"}')).toThrow(VirshParseError);
  });

  it("query-migrate: mbps (megabits/s) → bytes/s equals libvirt's memory_bps", () => {
    const m = parseQueryMigrate(out("s1-01-query-migrate-qmp-pretty.txt"));
    expect(m).toMatchObject({
      status: "active",
      totalTimeMs: 8054,
      expectedDowntimeMs: 300,
      setupTimeMs: 4,
      ram: {
        totalBytes: 537403392,
        transferredBytes: 68146477,
        remainingBytes: 447524864,
        duplicatePages: 5350,
        normalPages: 16593,
        normalBytes: 67964928,
        dirtyPagesPerSecond: 0,
        dirtyBytesPerSecond: 0,
        megabitsPerSecond: 67.30704,
        bytesPerSecond: 8413380,
        dirtySyncCount: 1,
        pageSizeBytes: 4096,
        pagesPerSecond: 2050,
      },
    });
    // Same instant in libvirt's view: memory_bps 8413380 bytes/s.
    expect(m.ram?.bytesPerSecond).toBe(parseDomJobInfo(out("s1-01-domjobinfo-rawstats.txt")).memoryBytesPerSecond);
  });

  it("query-migrate with auto-converge throttle, in post-copy, and with no migration ({} → none)", () => {
    const t = parseQueryMigrate(out("s2b-query-migrate-qmp-with-throttle.txt"));
    expect(t).toMatchObject({ cpuThrottlePercent: 20, expectedDowntimeMs: 8004 });
    expect(t.ram).toMatchObject({
      bytesPerSecond: 33570900,
      dirtyPagesPerSecond: 7919,
      dirtyBytesPerSecond: 7919 * 4096,
    });
    const p = parseQueryMigrate(out("s8-query-migrate-postcopy-phase.txt"));
    expect(p).toMatchObject({
      status: "postcopy-active",
      ram: { postcopyRequests: 28, postcopyBytes: 8722105, bytesPerSecond: 4227300 },
    });
    expect(parseQueryMigrate(out("s4-err-query-migrate-no-job.txt"))).toEqual({
      status: "none",
      totalTimeMs: undefined,
      expectedDowntimeMs: undefined,
      downtimeMs: undefined,
      setupTimeMs: undefined,
      cpuThrottlePercent: undefined,
      errorDesc: undefined,
      blockedReasons: undefined,
      ram: undefined,
    });
    expect(() => parseQueryMigrate('{"return":{"status":"teleporting"}}')).toThrow(VirshParseError);
  });

  it("query-migrate-parameters: bytes/s and ms as QEMU keeps them", () => {
    const before = parseQueryMigrateParameters(out("s1-01-query-migrate-parameters-qmp.txt"));
    expect(before).toMatchObject({
      downtimeLimitMs: 300,
      maxBandwidthBytesPerSecond: 8388608,
      cpuThrottleInitial: 20,
      cpuThrottleIncrement: 10,
      cpuThrottleTailslow: false,
      maxCpuThrottle: 99,
      throttleTriggerThreshold: 50,
      maxPostcopyBandwidthBytesPerSecond: 0,
      multifdChannels: 2,
      xbzrleCacheSizeBytes: 67108864,
    });
    expect(before.raw["announce-max"]).toBe(550);
    // Parameters (unlike capabilities) change mid-migration: HMP set 60, setmaxdowntime 500.
    expect(parseQueryMigrateParameters(out("s1-04-query-migrate-parameters-after.txt"))).toMatchObject({
      downtimeLimitMs: 500,
      cpuThrottleInitial: 60,
      cpuThrottleIncrement: 20,
    });
    // libvirt's "unlimited" max-bandwidth is larger than 2^53: it reads as unlimited, not as an error.
    expect(
      parseQueryMigrateParameters(
        '{"return":{"max-bandwidth":9223372036853727232,"downtime-limit":300},"id":"libvirt-1"}',
      ),
    ).toMatchObject({
      maxBandwidthBytesPerSecond: Number.POSITIVE_INFINITY,
      downtimeLimitMs: 300,
    });
  });

  it("query-dirty-rate: MiB/s → bytes/s, no rate while measuring", () => {
    expect(parseQueryDirtyRate(out("s4-dirtyrate-qmp-query-page-sampling.txt"))).toEqual({
      status: "measured",
      startTime: 7264,
      periodSeconds: 1,
      mode: "page-sampling",
      mibPerSecond: 260,
      bytesPerSecond: 272629760,
      samplePages: 512,
    });
    expect(parseQueryDirtyRate(out("s4-dirtyrate-qmp-query-while-measuring.txt"))).toMatchObject({
      status: "measuring",
      mibPerSecond: null,
      bytesPerSecond: null,
    });
    expect(parseQueryDirtyRate(out("s1-02-query-dirty-rate-during-migration.txt")).mibPerSecond).toBe(260);
  });
});

describe("HMP replies", () => {
  it("detects 'Error: …' replies despite exit 0, and accepts empty success", () => {
    const c = loadFixture("s1-04-hmp-migrate_set_capability-auto-converge-mid-migration.txt");
    expect(c.exitStatus).toBe(0);
    expect(parseHmpReply(c.output)).toEqual({ ok: false, message: "There's a migration process in progress" });
    expect(parseHmpReply(out("s4-err-hmp-set-capability-no-job.txt"))).toEqual({ ok: true, text: "" });
    expect(parseHmpReply(out("s1-04-hmp-migrate_set_parameter-throttle-mid-migration.txt"))).toEqual({
      ok: true,
      text: "",
    });
    expect(parseHmpReply("unknown command: 'foo'\r\n")).toEqual({ ok: false, message: "unknown command: 'foo'" });
    expect(() => parseHmpKeyValues(c.output)).toThrow(QmpError);
  });

  it("info migrate (CRLF, KiB, mbps) and its no-migration form", () => {
    const m = parseHmpInfoMigrate(out("s1-01-info-migrate-hmp.txt"));
    expect(m).toMatchObject({
      status: "active",
      totalTimeMs: 8077,
      expectedDowntimeMs: 300,
      setupTimeMs: 4,
      ram: {
        transferredBytes: 68146176, // 66549 KiB
        remainingBytes: 447524864, // 437036 KiB
        totalBytes: 537403392, // 524808 KiB
        megabitsPerSecond: 67.31,
        bytesPerSecond: 8413750, // 67.31 × 125000 (HMP rounds to 0.01 Mbit/s)
        duplicatePages: 5350,
        normalPages: 16593,
        dirtySyncCount: 1,
        pageSizeBytes: 4096,
        pagesPerSecond: 2050,
        precopyBytes: 68146176,
      },
    });
    expect(m.downtimeMs).toBeUndefined();
    expect(parseHmpInfoMigrate(out("s4-err-hmp-info-migrate-no-job.txt"))).toEqual({ status: "none" });
    expect(() => parseHmpInfoMigrate("hello\n")).toThrow(VirshParseError);
  });

  it("info migrate_capabilities / migrate_parameters", () => {
    const before = parseHmpMigrateCapabilities(out("s1-01-info-migrate-capabilities-hmp.txt"));
    expect(before).toMatchObject({
      "auto-converge": false,
      "postcopy-ram": false,
      "return-path": true,
      "pause-before-switchover": true,
    });
    expect(Object.keys(before)).toHaveLength(21);
    expect(parseHmpMigrateCapabilities(out("s2b-info-migrate-capabilities.txt"))["auto-converge"]).toBe(true);
    const p = parseHmpKeyValues(out("s2b-query-migrate-parameters.txt"));
    expect(p["max-bandwidth"]).toBe("33554432 bytes/second");
    expect(p["tls-creds"]).toBe("''");
    expect(parseHmpKeyValues(out("s1-01-info-migrate-parameters-hmp.txt"))["downtime-limit"]).toBe("300 ms");
  });

  it('info dirty_rate ("MB/s" is MiB/s)', () => {
    expect(parseHmpInfoDirtyRate(out("s4-dirtyrate-hmp-info.txt"))).toEqual({
      status: "measured",
      startTime: 7266,
      periodSeconds: 1,
      mode: "page-sampling",
      mibPerSecond: 268,
      bytesPerSecond: 281018368,
    });
    expect(
      parseHmpInfoDirtyRate(
        "Status: measuring\r\nStart Time: 5 (ms)\r\nSample Pages: 512 (per GB)\r\nPeriod: 1 (sec)\r\nMode: page-sampling\r\nDirty rate: (not ready)\r\n",
      ),
    ).toMatchObject({
      status: "measuring",
      mibPerSecond: null,
    });
    expect(() => parseHmpInfoDirtyRate(out("s4-dirtyrate-hmp-calc.txt"))).toThrow(VirshParseError);
  });
});
