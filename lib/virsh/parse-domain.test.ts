// list, dominfo, domstate: what a domain is and which state it is in.
import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseDomInfo } from "./parse-dominfo";
import { parseDomState } from "./parse-domstate";
import { parseList } from "./parse-list";

describe("parseList", () => {
  it("reads ids, names and states, '-' being a shut-off domain", () => {
    expect(parseList(loadFixture("inventory-hv1-list-all.txt").output)).toEqual([
      { id: 1, name: "vm-idle", state: "running" },
    ]);
    expect(parseList(loadFixture("s5c-hv1-list-all.txt").output)).toEqual([
      { id: 22, name: "vm-idle", state: "running" },
      { id: null, name: "vm-ac", state: "shutoff" },
      { id: null, name: "vm-heavy", state: "shutoff" },
    ]);
    expect(parseList(loadFixture("s1-01-dest-list-all.txt").output)).toEqual([
      { id: 15, name: "vm-heavy", state: "paused" },
    ]);
  });
  it("returns [] for an empty host, also through ssh or a remote URI", () => {
    expect(parseList(loadFixture("inventory-hv2-list-all.txt").output)).toEqual([]);
    expect(parseList(loadFixture("inventory-hv1-list-remote-hv2.txt").output)).toEqual([]);
    expect(parseList(loadFixture("inventory-hv1-list-all-via-ssh.txt").output)).toHaveLength(1);
  });
  it("handles names with spaces and CRLF; throws on unknown rows", () => {
    const t = " Id   Name          State\r\n------------------------------\r\n 3    my vm running   in shutdown\r\n";
    expect(parseList(t)).toEqual([{ id: 3, name: "my vm running", state: "shutdown" }]);
    expect(() => parseList(" Id   Name   State\n-----\n 1    vm   exploded\n")).toThrow(VirshParseError);
    expect(() => parseList("error: failed to connect to the hypervisor\n")).toThrow(VirshParseError);
  });
});

describe("parseDomInfo", () => {
  it("reads a running domain", () => {
    const d = parseDomInfo(loadFixture("inventory-hv1-dominfo.txt").output);
    expect(d).toMatchObject({
      id: 1,
      name: "vm-idle",
      uuid: "aef80700-7ff5-4e02-970f-aecf3ab475c9",
      osType: "hvm",
      state: "running",
      vcpus: 1,
      cpuTimeSeconds: 5.5,
      maxMemoryBytes: 536870912, // 524288 KiB
      usedMemoryBytes: 536870912,
      persistent: true,
      autostart: false,
      managedSave: false,
      securityModel: "none",
      messages: ["tainted: running with undesirable elevated privileges"],
    });
    expect(d.all["Security DOI"]).toBe("0");
  });
  it("reads a shut-off domain without CPU time, and continuation message lines", () => {
    const t = [
      "Id:             -",
      "Name:           vm-ac",
      "UUID:           6123987c-09cf-4cca-8c02-b73cb37603c2",
      "OS Type:        hvm",
      "State:          shut off",
      "CPU(s):         2",
      "Max memory:     no limit",
      "Used memory:    1048576 KiB",
      "Persistent:     yes",
      "Autostart:      enable",
      "Messages:       tainted: custom-monitor",
      "                tainted: high-privileges",
      "",
    ].join("\n");
    expect(parseDomInfo(t)).toMatchObject({
      id: null,
      state: "shutoff",
      vcpus: 2,
      cpuTimeSeconds: null,
      maxMemoryBytes: null,
      usedMemoryBytes: 1073741824,
      autostart: true,
      messages: ["tainted: custom-monitor", "tainted: high-privileges"],
    });
  });
  it("throws on missing fields", () => {
    expect(() => parseDomInfo("Name: x\n")).toThrow(VirshParseError);
  });
});

describe("parseDomState", () => {
  const cases: [string, string, string | null][] = [
    ["inventory-hv1-domstate-reason.txt", "running", "booted"],
    ["s1-01-dest-domstate-reason.txt", "paused", "migrating"],
    ["s1-06-domstate-reason-source-after-suspend.txt", "paused", "migrating"],
    ["s1-07-source-domstate-reason.txt", "shutoff", "migrated"],
    ["s1-07-dest-domstate-reason-before-resume.txt", "running", "migrated"],
    ["s7-domstate-after-abort.txt", "running", "migration canceled"],
    ["s8-source-domstate-postcopy-phase.txt", "paused", "post-copy"],
    ["s8-dest-domstate-postcopy-phase.txt", "running", "post-copy"],
    ["s4-dirtyrate-domstate-after-qmp-dirty-ring.txt", "shutoff", "crashed"],
    ["s9-source-domstate-after-client-killed.txt", "running", "booted"],
  ];
  it.each(cases)("%s → %s (%s)", (file, state, reason) => {
    expect(parseDomState(loadFixture(file).output)).toEqual({ state, reason });
  });
  it("accepts the form without --reason and rejects anything else", () => {
    expect(parseDomState("shut off\n")).toEqual({ state: "shutoff", reason: null });
    expect(() => parseDomState("error: failed to get domain 'x'\n")).toThrow(VirshParseError);
    expect(() => parseDomState("running (booted)\nrunning (booted)\n")).toThrow(VirshParseError);
    expect(() => parseDomState("")).toThrow(VirshParseError);
  });
});
