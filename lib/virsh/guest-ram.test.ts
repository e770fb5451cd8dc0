import { describe, expect, it } from "vitest";
import { guestRamMapping, guestRamSmaps, guestRamZeroSample, parseSmapsMappings, parseZeroSample } from "./guest-ram";

// Shape of a real QEMU 7.2 process's smaps on the lab (grep'd as guestRamSmaps does), trimmed.
const SMAPS = `55d0c0a00000-55d0c0b5f000 r-xp 00239000 08:01 1839394                    /usr/bin/qemu-system-x86_64
Rss:                5296 kB
55d0c2a1e000-55d0c3c02000 rw-p 00000000 00:00 0                          [heap]
Rss:                4764 kB
7f0a40000000-7f0a80000000 rwxp 00000000 00:00 0 
Rss:               12288 kB
7f0a9bffe000-7f0aabfff000 rw-p 00000000 00:00 0 
Rss:              102408 kB
7f0aac000000-7f0aac8d9000 rw-p 00000000 00:00 0 
Rss:                8040 kB
`;
const MiB = 1024 ** 2;

describe("guest RAM residency", () => {
  it("finds the guest-RAM mapping (256 MiB + the lab's 8 KiB) and not the 1 GiB TCG code buffer or the heap", () => {
    const maps = parseSmapsMappings(SMAPS);
    expect(maps).toHaveLength(5);
    expect(maps[1]).toEqual({
      startHex: "55d0c2a1e000",
      sizeBytes: 0x55d0c3c02000 - 0x55d0c2a1e000,
      rssBytes: 4764 * 1024,
      path: "[heap]",
    });
    expect(guestRamMapping(maps, 256 * MiB)).toMatchObject({ startHex: "7f0a9bffe000", rssBytes: 102408 * 1024 });
  });

  it("says nothing when no single mapping is the guest's RAM (hugepages, NUMA, another size)", () => {
    const maps = parseSmapsMappings(SMAPS);
    expect(guestRamMapping(maps, 512 * MiB)).toBeNull();
    expect(
      guestRamMapping([...maps, { startHex: "1000", sizeBytes: 256 * MiB, rssBytes: MiB, path: null }], 256 * MiB),
    ).toBeNull();
  });

  it("passes the domain name as a positional parameter, never inside the script", () => {
    const argv = guestRamSmaps("db'; rm -rf ~ #");
    expect(argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(argv[2]).not.toContain("db'");
    expect(argv.at(-1)).toBe("db'; rm -rf ~ #");
    expect(() => guestRamSmaps("../../etc/passwd")).toThrow(/must not contain/);
    expect(() => guestRamSmaps("-x")).toThrow();
  });

  it("samples pages of the mapping with the name and figures as positional parameters", () => {
    const mapping = { startHex: "7f0a9bffe000", sizeBytes: 256 * MiB + 8192, rssBytes: 0, path: null };
    const argv = guestRamZeroSample("db'; rm -rf ~ #", mapping, 64);
    expect(argv[2]).not.toContain("db'");
    expect(argv.slice(-4)).toEqual(["db'; rm -rf ~ #", "7f0a9bffe000", String(65538), "64"]);
    expect(() => guestRamZeroSample("vm", { ...mapping, startHex: "7f; reboot" })).toThrow(/hex/);
  });

  it("reads the counts as the share of RAM that is not zero, and refuses a sample that mostly failed", () => {
    expect(parseZeroSample("2048 1536\n")).toBe(0.25);
    expect(parseZeroSample("100 10\n")).toBeNull();
    expect(parseZeroSample("perl: not found")).toBeNull();
  });
});
