import { describe, expect, it } from "vitest";
import { loadCaptures, loadFixture, parseCapture } from "./load-fixture";

describe("load-fixture", () => {
  it("splits a capture into command, verbatim output and exit status", () => {
    const c = loadFixture("s1-00-domjobinfo-no-job.txt");
    expect(c.host).toBe("hv1");
    expect(c.command).toBe("virsh domjobinfo vm-heavy");
    expect(c.output).toBe("Job type:         None        \n"); // trailing spaces kept
    expect(c.exitStatus).toBe(0);
  });

  it("keeps CR, blank lines, stderr text and the wall-time trailer", () => {
    const v = loadFixture("s4-default-migrate-vm-idle.txt");
    expect(v.output).toBe("\rMigration: [ 37 %]\rMigration: [100 %]\n");
    const m = loadFixture("s2a-migrate-command-plain.txt");
    expect(m.output).toBe("error: operation aborted: job 'migration out' canceled by client\n\n");
    expect(m.exitStatus).toBe(1);
    expect(m.wallTimeSeconds).toBe(47.3);
    expect(loadFixture("s1-03-migrate-setspeed-32.txt").output).toBe("\n");
  });

  it("reads multi-capture files and rejects text that is not a capture", () => {
    const all = loadCaptures("s2b-domjobinfo-samples.txt");
    expect(all).toHaveLength(18);
    expect(all.every((c) => c.command === "virsh domjobinfo vm-ac" && c.exitStatus === 0)).toBe(true);
    expect(() => parseCapture("hello\n")).toThrow();
  });
});
