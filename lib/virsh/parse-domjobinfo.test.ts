import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { fixtureText, loadCaptures, loadFixture } from "@/tests/support/load-fixture";
import { parseDomJobInfo, parseDomJobInfoPretty, parseDomJobInfoRaw } from "./parse-domjobinfo";

const MiB = 1024 * 1024;
const out = (f: string) => loadFixture(f).output;

describe("domjobinfo --rawstats (primary form)", () => {
  it("reads a running migration in its first pass", () => {
    const j = parseDomJobInfoRaw(out("s1-01-domjobinfo-rawstats.txt"));
    expect(j).toMatchObject({
      form: "rawstats",
      type: "unbounded",
      active: true,
      operation: "migration-out",
      timeElapsedMs: 8354,
      expectedDowntimeMs: 300, // running job: `downtime` is QEMU's estimate
      setupTimeMs: 4,
      dataTotalBytes: 537403392,
      dataProcessedBytes: 68146477,
      dataRemainingBytes: 447524864,
      memoryTotalBytes: 537403392,
      memoryBytesPerSecond: 8413380, // bytes/s already (8.024 MiB/s)
      memoryConstantPages: 5350,
      memoryNormalPages: 16593,
      memoryNormalBytes: 67964928,
      dirtyRatePagesPerSecond: 0,
      dirtyRateBytesPerSecond: 0,
      pageSizeBytes: 4096,
      iteration: 1,
      postcopyRequests: 0,
      diskTotalBytes: 0,
    });
    expect(j.downtimeMs).toBeUndefined();
    expect(j.raw.memory_bps).toBe("8413380");
  });

  it("converts the dirty rate from pages/s to bytes/s with the page size", () => {
    const j = parseDomJobInfo(out("s1-05-domjobinfo-running-rawstats.txt"));
    expect(j.dirtyRatePagesPerSecond).toBe(5313);
    expect(j.dirtyRateBytesPerSecond).toBe(21762048); // 5313 × 4096
    expect(j.iteration).toBe(5);
    expect(j.expectedDowntimeMs).toBe(31911);
  });

  it("keeps QEMU's meaningless expected downtime during post-copy as reported", () => {
    const j = parseDomJobInfoRaw(out("s8-domjobinfo-postcopy-phase-rawstats.txt"));
    expect(j).toMatchObject({
      expectedDowntimeMs: 116145,
      postcopyRequests: 28,
      memoryBytesPerSecond: 4227300,
      iteration: 2,
    });
  });

  it("reads 'Job type: 0' (stats already consumed) as no job", () => {
    expect(parseDomJobInfo(out("s1-07-dest-domjobinfo-completed-rawstats.txt"))).toEqual({
      form: "rawstats",
      type: "none",
      active: false,
      raw: {},
    });
  });

  it("reads the job-completed event block (same keys, tab-indented): real downtime", () => {
    const text = fixtureText("s1-events-hv1.txt");
    const block = text.slice(text.indexOf("\toperation"));
    const j = parseDomJobInfoRaw(`Job type: 3\n\n${block}`);
    expect(j).toMatchObject({
      type: "completed",
      active: false,
      downtimeMs: 54320,
      downtimeNetMs: 54318,
      timeElapsedNetMs: 137658,
      dataProcessedBytes: 1262263182,
      memoryBytesPerSecond: 9194974,
      iteration: 8,
    });
    expect(j.expectedDowntimeMs).toBeUndefined();
  });

  it("throws on malformed raw output", () => {
    expect(() => parseDomJobInfoRaw("Job type: 9\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfoRaw("Job type: 2\n\nmemory_bps: fast\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfoRaw("Job type: 2\n\nnot a pair\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfo("error: failed to get domain 'x'\n")).toThrow(VirshParseError);
    expect(parseDomJobInfoRaw("Job type: 2\r\n\r\nsome_future_key: 7\r\n").raw).toEqual({ some_future_key: "7" });
  });
});

describe("domjobinfo pretty form", () => {
  it("normalises unit suffixes: MiB → bytes, MiB/s → bytes/s, pages/s → bytes/s", () => {
    const j = parseDomJobInfoPretty(out("s1-05-domjobinfo-running-iter3.txt"));
    expect(j).toMatchObject({
      form: "pretty",
      type: "unbounded",
      active: true,
      operation: "migration-out",
      timeElapsedMs: 83268,
      dataProcessedBytes: 802278081, // 765.112 MiB = 802278080.512
      dataRemainingBytes: 194064155, // 185.074 MiB = 194064154.624
      dataTotalBytes: 537403589, // 512.508 MiB = 537403588.608
      memoryBytesPerSecond: 8413774, // 8.024 MiB/s = 8413773.824
      dirtyRatePagesPerSecond: 5313,
      dirtyRateBytesPerSecond: 21762048,
      pageSizeBytes: 4096,
      iteration: 5,
      postcopyRequests: 0,
      memoryConstantPages: 149706,
      memoryNormalPages: 195157,
      memoryNormalBytes: 799363039, // 762.332 MiB
      expectedDowntimeMs: 31911,
      setupTimeMs: 4,
    });
    expect(j.raw.data_processed).toBe("765.112 MiB");
  });

  it("agrees with rawstats to within the printed precision (0.0005 of the unit)", () => {
    const pretty = parseDomJobInfo(out("s1-01-domjobinfo-running-iter1.txt"));
    const raw = parseDomJobInfo(out("s1-01-domjobinfo-rawstats.txt"));
    expect(Math.abs((pretty.dataTotalBytes ?? 0) - (raw.dataTotalBytes ?? 0))).toBeLessThanOrEqual(0.0005 * MiB);
    const done = parseDomJobInfo(out("s1-07-source-domjobinfo-completed-keep.txt"));
    expect(done.dataProcessedBytes).toBe(1262720385); // 1.176 GiB
    expect(Math.abs((done.dataProcessedBytes ?? 0) - 1262263182)).toBeLessThanOrEqual(0.0005 * 1024 ** 3); // event's exact value
  });

  it("reads completed jobs: real downtime, both directions", () => {
    const src = parseDomJobInfo(out("s1-07-source-domjobinfo-completed-keep.txt"));
    expect(src).toMatchObject({
      type: "completed",
      active: false,
      operation: "migration-out",
      timeElapsedMs: 137660,
      timeElapsedNetMs: 137658,
      dataRemainingBytes: 0,
      memoryBytesPerSecond: 9194963,
      iteration: 8,
      downtimeMs: 54320,
      downtimeNetMs: 54318,
    });
    expect(src.expectedDowntimeMs).toBeUndefined();
    expect(parseDomJobInfo(out("s1-07-dest-domjobinfo-completed.txt")).operation).toBe("migration-in");
    expect(parseDomJobInfo(out("s3a-source-domjobinfo-completed.txt"))).toMatchObject({
      postcopyRequests: 540,
      downtimeMs: 5,
      downtimeNetMs: 1,
    });
    expect(parseDomJobInfo(out("s2b-source-domjobinfo-completed-keep.txt"))).toMatchObject({
      dataProcessedBytes: 4356170580,
      memoryBytesPerSecond: 33536606,
      iteration: 23,
      downtimeMs: 28,
    });
  });

  it("reads 'Job type: None' (no job, consumed or aborted)", () => {
    for (const f of [
      "s1-00-domjobinfo-no-job.txt",
      "s1-07-source-domjobinfo-completed-again.txt",
      "s2a-domjobinfo-completed-after-abort.txt",
      "s9-source-domjobinfo-after-client-killed.txt",
    ]) {
      expect(parseDomJobInfo(out(f)), f).toEqual({ form: "pretty", type: "none", active: false, raw: {} });
    }
  });

  it("reads the auto-converge throttle across the s2b samples", () => {
    const samples = loadCaptures("s2b-domjobinfo-samples.txt").map((c) => parseDomJobInfo(c.output));
    expect(samples).toHaveLength(18);
    expect(samples[0]?.autoConvergeThrottlePercent).toBeUndefined(); // not throttling yet in pass 1
    expect(samples.at(-1)).toMatchObject({ iteration: 19, autoConvergeThrottlePercent: 90 });
    const throttles = samples.map((s) => s.autoConvergeThrottlePercent ?? 0);
    expect(throttles).toEqual([...throttles].sort((a, b) => a - b)); // only ever rises
  });

  it("throws on malformed values, keeps unknown labels", () => {
    expect(() => parseDomJobInfoPretty("Job type: Unbounded\nTime elapsed: 5 s\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfoPretty("Job type: Unbounded\nData total: 5 MB\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfoPretty("Job type: Sideways\n")).toThrow(VirshParseError);
    expect(() => parseDomJobInfoPretty("Job type: Unbounded\nOperation: Teleport\n")).toThrow(VirshParseError);
    expect(parseDomJobInfoPretty("Job type: Failed\nError message: boom\nShiny new: 3 widgets\n")).toMatchObject({
      type: "failed",
      errorMessage: "boom",
      raw: { errmsg: "boom", "Shiny new": "3 widgets" },
    });
  });
});
