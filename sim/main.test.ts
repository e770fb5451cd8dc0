// The CLI entry point as `npm run demo` and the e2e tests use it: ready line, clean stop.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

it("prints one ready JSON line and stops on SIGTERM", async () => {
  const keyDir = mkdtempSync(join(tmpdir(), "convoy-sim-main-"));
  try {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "sim/main.ts", "--fleet", "sim/fleets/pileup.yaml", "--key-dir", keyDir, "--time-scale", "5"],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0] as string);
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}: ${err}`)));
    });
    const ready = JSON.parse(line) as {
      ready: boolean;
      hosts: { name: string; port: number; fingerprint: string }[];
      control: string;
      clientKey: string;
    };
    expect(ready.ready).toBe(true);
    expect(ready.hosts.map((h) => h.name)).toEqual(["src", "dst"]);
    expect(ready.control).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.clientKey).toBe(join(keyDir, "client_ed25519"));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}, 30_000);
