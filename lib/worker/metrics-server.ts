import "server-only";
// The worker's scrape target (its own counters: samples, SSH errors and durations, alert
// deliveries, loop errors) and its liveness (`/healthz`). Off unless CONVOY_WORKER_METRICS_PORT is set; binds loopback by default.
import { createServer, type Server } from "node:http";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { bearerAllowed, EXPOSITION } from "@/lib/metrics/access";
import { setBuildInfo } from "@/lib/metrics/build-info";
import { metrics } from "@/lib/metrics/convoy";

export function startWorkerMetrics(): Server | null {
  const { CONVOY_WORKER_METRICS_PORT: port, CONVOY_WORKER_METRICS_HOST: host, CONVOY_METRICS_TOKEN: token } = env();
  if (port === undefined) return null;
  setBuildInfo("worker");
  const server = createServer((req, res) => {
    // Liveness for the worker's supervisor: the process and its event loop answer.
    if (req.method === "GET" && req.url === "/healthz")
      return void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    if (req.method !== "GET" || req.url !== "/metrics") return void res.writeHead(404).end();
    // A token, when configured, is required here too (the port may be exposed beyond loopback).
    if (token && !bearerAllowed(req.headers.authorization)) return void res.writeHead(401).end();
    res.writeHead(200, { "content-type": EXPOSITION }).end(metrics().registry.render());
  });
  server.on("error", (e) => log.error("worker metrics endpoint failed", { error: e, port }));
  server.listen(port, host, () => log.info("worker metrics endpoint", { url: `http://${host}:${port}/metrics` }));
  return server;
}
