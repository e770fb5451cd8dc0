import { describe, expect, it } from "vitest";
import { storedLaunchOptions } from "./migrations";

describe("storedLaunchOptions", () => {
  it("fills the defaults a row written before an option existed lacks", () => {
    const o = storedLaunchOptions({ bandwidthMiB: 16 });
    expect(o.bandwidthMiB).toBe(16);
    expect(o.maxDowntimeMs).toBe(300);
    expect(o.autoConverge).toEqual({ enabled: true, initial: 20, increment: 10 });
    expect(o.postcopy).toBe(false);
  });

  it("refuses a corrupt row by naming the field, instead of handing it to virsh", () => {
    expect(() => storedLaunchOptions({ bandwidthMiB: "--help", maxDowntimeMs: 300 })).toThrow(/bandwidthMiB/);
    expect(() => storedLaunchOptions(null)).toThrow(/stored launch options are invalid/);
  });
});
