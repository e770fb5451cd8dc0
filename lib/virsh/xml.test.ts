import { describe, expect, it } from "vitest";
import { VirshParseError } from "./errors";
import { loadFixture } from "@/tests/support/load-fixture";
import { parseDumpXml } from "./parse-dumpxml";
import { parseXml } from "./xml";

const real = loadFixture("inventory-hv1-dumpxml.txt").output;

// Inserts `extra` right after the opening <domain …> tag, where libvirt writes <title>,
// <description> and <metadata> — the parts of dumpxml a guest's owner controls.
function withOwnerContent(extra: string): string {
  return real.replace(/(<domain[^>]*>)/, `$1\n  ${extra}`);
}

describe("dumpxml through a real XML parser", () => {
  it("ignores disks a guest's owner wrote into <metadata> (a scanner took the first <devices> it saw)", () => {
    const spoof = `<metadata><x:app xmlns:x="urn:x"><devices><disk type='file' device='disk'><source file='/mnt/nfs/fake.qcow2'/><target dev='vdz' bus='virtio'/><shareable/></disk></devices></x:app></metadata>`;
    const parsed = parseDumpXml(withOwnerContent(spoof));
    expect(parsed.disks.map((d) => d.target)).toEqual(parseDumpXml(real).disks.map((d) => d.target));
    expect(parsed.disks.some((d) => d.target === "vdz")).toBe(false);
  });

  it("keeps a title with escaped markup as text", () => {
    const parsed = parseDumpXml(withOwnerContent("<title>&lt;disk&gt; &amp; &apos;x&apos;</title>"));
    expect(parsed.name).toBe(parseDumpXml(real).name);
  });

  it("refuses deep nesting, entity declarations and malformed documents with a parse error", () => {
    const deep = `${"<a>".repeat(5000)}${"</a>".repeat(5000)}`;
    expect(() => parseXml(deep, "t")).toThrow(/deeper than/);
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>`;
    expect(() => parseXml(laughs, "t")).toThrow(VirshParseError);
    expect(() => parseDumpXml("<domain><name>x</name>")).toThrow(VirshParseError);
    expect(() => parseXml("x".repeat(5 * 1024 * 1024), "t")).toThrow(/larger than/);
  });
});
