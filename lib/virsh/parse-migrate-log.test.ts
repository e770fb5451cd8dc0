import { describe, expect, it } from "vitest";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseMigrateLog } from "./parse-migrate-log";

describe("parseMigrateLog", () => {
  it("reads \\r-separated progress of successful --verbose runs", () => {
    expect(parseMigrateLog(loadFixture("s4-default-migrate-vm-heavy.txt").output)).toEqual({
      lastPercent: 100,
      maxPercent: 100,
      other: [],
    });
    expect(parseMigrateLog(loadFixture("s4-default-migrate-vm-ac.txt").output)).toEqual({
      lastPercent: 100,
      maxPercent: 100,
      other: [],
    });
    expect(parseMigrateLog(loadFixture("s4-default-migrate-vm-idle.txt").output).lastPercent).toBe(100);
  });

  it("reports the trailing virsh error of a failed run", () => {
    expect(parseMigrateLog(loadFixture("s2a-migrate-command-plain.txt").output)).toEqual({
      lastPercent: null,
      maxPercent: null,
      error: "operation aborted: job 'migration out' canceled by client",
      errorKind: "operation-aborted",
      other: [],
    });
    // With --verbose the error follows the last frame on the same line.
    const log =
      "\rMigration: [ 12 %]\rMigration: [ 47 %]\rMigration: [ 51 %]error: operation aborted: job 'migration out' canceled by client\n";
    expect(parseMigrateLog(log)).toMatchObject({ lastPercent: 51, errorKind: "operation-aborted" });
  });

  it("keeps the last frame when the percentage falls back at a new pass", () => {
    expect(parseMigrateLog("\rMigration: [ 80 %]\rMigration: [ 95 %]\rMigration: [ 52 %]")).toEqual({
      lastPercent: 52,
      maxPercent: 95,
      other: [],
    });
  });

  it("ignores a frame cut off mid-write and an empty log", () => {
    expect(parseMigrateLog("\rMigration: [ 12 %]\rMigration: [ 4")).toEqual({
      lastPercent: 12,
      maxPercent: 12,
      other: [],
    });
    expect(parseMigrateLog("\rMigr")).toEqual({ lastPercent: null, maxPercent: null, other: [] });
    expect(parseMigrateLog("")).toEqual({ lastPercent: null, maxPercent: null, other: [] });
  });

  it("keeps unexpected text for diagnostics", () => {
    expect(parseMigrateLog(loadFixture("s5a-migrate-command-p2p.txt").output)).toEqual({
      lastPercent: null,
      maxPercent: null,
      other: ["Terminated"],
    });
  });
});
