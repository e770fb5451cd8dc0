import { describe, expect, it } from "vitest";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseDomJobInfo } from "@/lib/virsh/parse-domjobinfo";
import { sampleFromJob } from "./read-job";

const at = new Date("2026-11-23T01:00:47.487Z");

describe("sampleFromJob: a sample is a measurement", () => {
  it("a job libvirt is still setting up (no memory totals) gives no sample, not '0 B / 0 B'", () => {
    // Shaped as lab s2a's first reading: the job exists 108 ms in, every data counter still 0.
    const setup = parseDomJobInfo(
      "Job type: 2\n\noperation: 5\ntime_elapsed: 108\ndata_total: 0\ndata_processed: 0\ndata_remaining: 0\nmemory_iteration: 0\n",
    );
    expect(setup.active).toBe(true);
    expect(sampleFromJob(setup, at)).toBeNull();
    expect(sampleFromJob(parseDomJobInfo("Job type: 2\n\noperation: 5\ntime_elapsed: 40\n"), at)).toBeNull();
  });

  it("a job with memory totals is sampled as libvirt reports it (lab s1, pass 1)", () => {
    const s = sampleFromJob(parseDomJobInfo(loadFixture("s1-01-domjobinfo-rawstats.txt").output), at);
    expect(s).toMatchObject({
      totalBytes: 537403392,
      processedBytes: 68146477,
      remainingBytes: 447524864,
      iteration: 1,
      elapsedMs: 8354,
    });
  });
});
