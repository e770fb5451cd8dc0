import { metrics } from "./convoy";

const VERSION = process.env.npm_package_version ?? "0.1.0";

/** convoy_build_info{version, role, node} 1 — which process a series came from. */
export function setBuildInfo(role: "web" | "worker"): void {
  metrics().buildInfo.replace([{ labels: { version: VERSION, role, node: process.version }, value: 1 }]);
}
