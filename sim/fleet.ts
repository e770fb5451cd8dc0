// startFleet: one real SSH server per simulated hypervisor on 127.0.0.1, all sharing one
// simulated clock driven by a ticker (100 ms of wall time × timeScale per tick).
import { join } from "node:path";
import ssh2 from "ssh2";
import type { ParsedKey } from "ssh2";
import { FleetControl } from "./control";
import { startControlServer } from "./control-http";
import type { FleetSpec } from "./fleet-file";
import { FleetState } from "./model/fleet-state";
import { fingerprint, loadOrCreateKeyPair, publicKeyBlob, replaceKeyPair } from "./ssh/keys";
import { HostServer } from "./ssh/host-server";

export interface StartFleetOptions {
  /** Host keys live in `<keyDir>/<host>` (+ .pub); a generated client key in `<keyDir>/client_ed25519`. */
  keyDir: string;
  /** First SSH port (host i listens on basePort + i); 0 = a random free port per host. */
  basePort?: number;
  timeScale?: number;
  seed?: number;
  /** Public keys (OpenSSH lines) allowed to log in; default: the generated client key. */
  clientPublicKeys?: string[];
  /** Port of the HTTP control API on 127.0.0.1 (0 = random); null = no HTTP server. */
  controlPort?: number | null;
  /** Wall-clock tick of the simulated clock, ms. */
  tickMs?: number;
}

export interface RunningFleet {
  hosts: { name: string; address: string; port: number; fingerprint: string }[];
  control: FleetControl;
  /** http://127.0.0.1:PORT of the control API, when started. */
  controlUrl: string | undefined;
  /** The generated client key (when clientPublicKeys was not given). */
  clientKey: { path: string; privateKey: string; publicKey: string } | undefined;
  state: FleetState;
  stop(): Promise<void>;
}

export async function startFleet(spec: FleetSpec, opts: StartFleetOptions): Promise<RunningFleet> {
  const fleet = new FleetState(spec, {
    ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
  let clientKey: RunningFleet["clientKey"];
  let publicKeys = opts.clientPublicKeys;
  if (!publicKeys || publicKeys.length === 0) {
    const kp = loadOrCreateKeyPair(opts.keyDir, "client_ed25519", "convoy-sim-client");
    clientKey = { path: join(opts.keyDir, "client_ed25519"), privateKey: kp.privateKey, publicKey: kp.publicKey };
    publicKeys = [kp.publicKey];
  }
  const allowed: ParsedKey[] = publicKeys.map((k) => {
    const parsed = ssh2.utils.parseKey(k);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error)
      throw new Error(`invalid client public key: ${key instanceof Error ? key.message : "empty"}`);
    return key;
  });

  const servers = new Map<string, HostServer>();
  const hosts: RunningFleet["hosts"] = [];
  try {
    for (const host of fleet.hosts) {
      const kp = loadOrCreateKeyPair(opts.keyDir, host.name, `root@${host.name}`);
      const server = new HostServer(fleet, host, kp.privateKey, allowed);
      servers.set(host.name, server);
      const base = opts.basePort ?? 0;
      const port = await server.listen(base === 0 ? 0 : base + host.index);
      hosts.push({
        name: host.name,
        address: "127.0.0.1",
        port,
        fingerprint: fingerprint(publicKeyBlob(kp.publicKey)),
      });
    }
    // Faults declared in the fleet file apply from the start.
    for (const s of servers.values()) await s.applyFaults();
  } catch (e) {
    for (const s of servers.values()) await s.stop();
    throw e;
  }

  const control = new FleetControl(fleet, servers, (name) => {
    const kp = replaceKeyPair(opts.keyDir, name, `root@${name}`);
    return { privateKey: kp.privateKey, fingerprint: fingerprint(publicKeyBlob(kp.publicKey)) };
  });
  const http = opts.controlPort === null ? undefined : await startControlServer(control, opts.controlPort ?? 0);

  const tickMs = opts.tickMs ?? 100;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    // After an event-loop stall, do not jump more than a second of wall time at once.
    const realDt = Math.min(now - last, 1000);
    last = now;
    fleet.advance(realDt * fleet.timeScale);
  }, tickMs);

  let stopped = false;
  return {
    hosts,
    control,
    controlUrl: http?.url,
    clientKey,
    state: fleet,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await http?.close();
      await Promise.all([...servers.values()].map((s) => s.stop()));
      await Promise.all(fleet.hosts.map((h) => h.procs.terminateAll()));
    },
  };
}
