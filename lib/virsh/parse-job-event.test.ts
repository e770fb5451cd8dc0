import { describe, expect, it } from "vitest";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseJobCompletedEvent } from "./parse-job-event";

describe("job-completed event", () => {
  // Lab, libvirt 9.0: a post-copy migration with --undefinesource; no host kept completed statistics.
  const c = loadFixture("s15-postcopy-job-completed-event.txt");

  it("reads the real post-copy figures from the source's event", () => {
    const e = parseJobCompletedEvent(c.output, "vm-busy");
    expect(e?.at?.toISOString()).toBe("2026-12-05T06:56:01.206Z");
    expect(e?.job).toMatchObject({
      type: "completed",
      operation: "migration-out",
      downtimeMs: 21,
      timeElapsedMs: 29571,
      dataProcessedBytes: 98437541,
      iteration: 3,
      postcopyRequests: 60,
    });
  });

  it("is null for another domain, for a watcher that timed out, and throws on a cut-off block", () => {
    expect(parseJobCompletedEvent(c.output, "vm-idle")).toBeNull();
    expect(parseJobCompletedEvent("event loop timed out\nevents received: 0\n", "vm-busy")).toBeNull();
    expect(() => parseJobCompletedEvent("event 'job-completed' for domain 'vm-busy':\n", "vm-busy")).toThrow();
  });
});
