import { describe, expect, it } from "vitest";
import { cpuCompatible } from "./cpu-compat";

describe("cpuCompatible", () => {
  it("accepts the same model and newer generations of the same vendor", () => {
    expect(cpuCompatible("Skylake-Server-IBRS", "Skylake-Server-IBRS").ok).toBe(true);
    expect(cpuCompatible("Skylake-Server-IBRS", "Cascadelake-Server").ok).toBe(true);
    expect(cpuCompatible("EPYC", "EPYC-Rome").ok).toBe(true);
  });
  it("refuses older generations, other vendors and unknown models", () => {
    expect(cpuCompatible("Cascadelake-Server", "Skylake-Server").ok).toBe(false);
    expect(cpuCompatible("EPYC-Rome", "Cascadelake-Server")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("different CPU families"),
    });
    expect(cpuCompatible(null, "EPYC").ok).toBe(false);
    expect(cpuCompatible("qemu64", "kvm64").ok).toBe(false);
  });
});
