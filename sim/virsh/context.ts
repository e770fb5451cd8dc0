// What a virsh command gets to work with: the libvirtd it is connected to, the host it runs on,
// its output streams and the signals of its process.
import type { Domain } from "../model/domain";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import type { ProcessContext } from "../shell/processes";
import { ERR, VirshError } from "./errors";
import type { OptDef, ParsedArgs } from "./options";

export interface VirshCtx {
  fleet: FleetState;
  /** Host the virsh process runs on. */
  local: SimHost;
  /** Host whose libvirtd the connection URI reaches. */
  host: SimHost;
  uri: string;
  out: (s: string) => void;
  err: (s: string) => void;
  proc: ProcessContext;
  readonly: boolean;
}

export interface CommandDef {
  name: string;
  opts: OptDef[];
  /** Public API name, for "read only access prevents …" under `virsh -r`. */
  mutates?: string;
  /** First error line when the command fails (e.g. "Failed to resume domain 'x'"). */
  failPrefix?: (a: ParsedArgs) => string;
  run(ctx: VirshCtx, a: ParsedArgs): Promise<void> | void;
}

/** virshCommandOptDomain: by id, then UUID, then name. */
export function lookupDomain(ctx: VirshCtx, a: ParsedArgs): Domain {
  const key = a.str("domain") ?? "";
  const doms = [...ctx.host.domains.values()];
  const found =
    (/^\d+$/.test(key) ? doms.find((d) => d.id === Number(key)) : undefined) ??
    doms.find((d) => d.uuid === key.toLowerCase()) ??
    doms.find((d) => d.name === key);
  if (!found) throw new VirshError(ERR.noDomain(key));
  return found;
}

export function requireActive(d: Domain): void {
  if (d.status.state !== "running" && d.status.state !== "paused") throw new VirshError(ERR.notRunning);
}

export function sleepReal(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
