import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detached, migrate } from "./commands";
import { VirshArgError } from "./errors";

const dir = mkdtempSync(join(tmpdir(), "convoy-detached-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitForFile(path: string, predicate: (s: string) => boolean): Promise<string> {
  for (let i = 0; i < 100; i++) {
    try {
      const s = readFileSync(path, "utf8");
      if (predicate(s)) return s;
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${path}`);
}

describe("detached", () => {
  it("builds the single shell line around the quoted argv", () => {
    const argv = migrate("qemu:///system", "vm-heavy", "qemu+ssh://hv2/system", { verbose: true, bandwidthMiB: 8 });
    expect(detached(argv, "/var/tmp/convoy/mig-42.log")).toBe(
      "setsid nohup virsh -c qemu:///system migrate --live --p2p --bandwidth 8 --verbose vm-heavy qemu+ssh://hv2/system" +
        " > /var/tmp/convoy/mig-42.log 2>&1 < /dev/null & echo $!",
    );
    expect(detached(["virsh", "-c", "qemu:///system", "suspend", "it's a vm"], "/tmp/a b.log")).toBe(
      "setsid nohup virsh -c qemu:///system suspend 'it'\\''s a vm' > '/tmp/a b.log' 2>&1 < /dev/null & echo $!",
    );
  });

  it("rejects relative or control-character log paths", () => {
    expect(() => detached(["true"], "relative.log")).toThrow(VirshArgError);
    expect(() => detached(["true"], "/tmp/a\nb.log")).toThrow(VirshArgError);
    expect(() => detached(["true"], "/tmp/a\0b.log")).toThrow();
  });

  it("really detaches in sh: echoes the command's own pid, writes stdout+stderr to the log", async () => {
    const log = join(dir, "out log.txt");
    // The child prints its pid ($$) and the hostile arguments exactly as received, then an error.
    const argv = [
      "sh",
      "-c",
      'echo "pid=$$"; printf "<%s>\\n" "$@"; echo "error: boom" >&2',
      "sh",
      "it's",
      "$(id)",
      "a b",
    ];
    const pid = execFileSync("sh", ["-c", detached(argv, log)], { encoding: "utf8" }).trim();
    expect(pid).toMatch(/^\d+$/);
    const out = await waitForFile(log, (s) => s.includes("error: boom"));
    expect(out).toBe(`pid=${pid}\n<it's>\n<$(id)>\n<a b>\nerror: boom\n`);
  });
});
