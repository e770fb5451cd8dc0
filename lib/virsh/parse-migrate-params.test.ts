// migrate-getspeed / getmaxdowntime, and the acknowledgements of the "set"/control commands.
import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseAck } from "./parse-ack";
import { parseMigrateGetMaxDowntime, parseMigrateGetSpeed } from "./parse-migrate-params";

const out = (f: string) => loadFixture(f).output;

describe("parseMigrateGetSpeed", () => {
  it("recognises libvirt's 'unlimited' default", () => {
    for (const f of [
      "s1-00-migrate-getspeed-before.txt",
      "s4-default-getspeed-vm-idle.txt",
      "s4-default-getspeed-vm-heavy.txt",
      "s4-default-getspeed-vm-ac.txt",
    ]) {
      expect(parseMigrateGetSpeed(out(f)), f).toEqual({
        mibPerSecond: 8796093022207,
        unlimited: true,
        bytesPerSecond: null,
      });
    }
  });
  it("converts a set limit from MiB/s to bytes/s", () => {
    expect(parseMigrateGetSpeed(out("s1-00-migrate-getspeed-after-set.txt"))).toEqual({
      mibPerSecond: 8,
      unlimited: false,
      bytesPerSecond: 8388608,
    });
    expect(parseMigrateGetSpeed(out("s1-03-migrate-getspeed-after.txt")).bytesPerSecond).toBe(33554432);
    expect(parseMigrateGetSpeed(out("s8-migrate-getspeed-postcopy-flag.txt")).bytesPerSecond).toBe(16777216);
  });
  it("throws on anything but one integer", () => {
    expect(() => parseMigrateGetSpeed("")).toThrow(VirshParseError);
    expect(() => parseMigrateGetSpeed("8 MiB/s\n")).toThrow(VirshParseError);
    expect(() => parseMigrateGetSpeed("-1\n")).toThrow(VirshParseError);
  });
});

describe("parseMigrateGetMaxDowntime", () => {
  it("reads ms, with or without a running job", () => {
    expect(parseMigrateGetMaxDowntime(out("s1-00-migrate-getmaxdowntime-before.txt"))).toEqual({ ms: 300 });
    expect(parseMigrateGetMaxDowntime(out("s1-03-migrate-getmaxdowntime-after.txt"))).toEqual({ ms: 500 });
    // Named "err" in the lab but it succeeds: QEMU keeps the parameter without a job.
    expect(parseMigrateGetMaxDowntime(out("s4-err-getmaxdowntime-no-job.txt"))).toEqual({ ms: 400 });
  });
});

describe("parseAck", () => {
  it("accepts the empty acknowledgements", () => {
    for (const f of [
      "s1-00-migrate-setspeed-8-before-start.txt",
      "s1-03-migrate-setmaxdowntime-500.txt",
      "s2a-domjobabort.txt",
      "s3a-migrate-postcopy.txt",
      "s8-migrate-setspeed-postcopy-flag.txt",
      "s4-err-setmaxdowntime-no-job.txt",
    ]) {
      expect(parseAck(out(f)), f).toEqual({ kind: "empty" });
    }
  });
  it("recognises suspend/resume and dirty-rate start sentences", () => {
    expect(parseAck(out("s1-06-suspend-source.txt"))).toEqual({ kind: "suspended", domain: "vm-heavy" });
    expect(parseAck("Domain 'vm-heavy' resumed\n")).toEqual({ kind: "resumed", domain: "vm-heavy" });
    expect(parseAck(out("s4-dirtyrate-virsh-calc.txt"))).toEqual({ kind: "dirty-rate-started" });
  });
  it("throws on unexpected text", () => {
    expect(() => parseAck("Terminated\n")).toThrow(VirshParseError);
  });
});
