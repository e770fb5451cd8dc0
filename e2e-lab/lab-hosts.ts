// Running commands on the lab's hosts (their namespaces), as the lab's own tooling does.
import { execFileSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
export const HOSTS = {
  hv1: { address: "127.0.0.21", port: 2221 },
  hv2: { address: "127.0.0.22", port: 2222 },
} as const;
export type HostName = keyof typeof HOSTS;

export function onHost(host: HostName, ...argv: string[]): string {
  return execFileSync(path.join(ROOT, "lab/lab.sh"), ["in", host, ...argv], {
    encoding: "utf8",
    timeout: 60_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** lab.sh's own subcommands (e.g. `libvirtd hv1 kill`). */
export function labCtl(...argv: string[]): string {
  return execFileSync(path.join(ROOT, "lab/lab.sh"), argv, {
    encoding: "utf8",
    timeout: 90_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
}
