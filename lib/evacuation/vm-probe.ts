import "server-only";
import { getHostById, getSshTarget } from "@/lib/db/hosts";
import { getSshPool } from "@/lib/ssh/pool";
import { domState } from "@/lib/virsh/commands";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import type { VmProbe } from "./drain";

/**
 * `virsh domstate` on the source just before a move is claimed: catches a guest stopped or moved
 * by hand since the last inventory. Anything inconclusive (unreachable, odd output) is "unknown",
 * and the worker then goes by the inventory; a real problem shows up as a failed launch.
 */
export const probeVmOverSsh: VmProbe = async ({ vmName, sourceHostId }) => {
  const [target, host] = await Promise.all([getSshTarget(sourceHostId), getHostById(sourceHostId)]);
  if (!target || !host) return "unknown";
  try {
    const r = await getSshPool().exec(target, domState(host.libvirtUri, vmName), {
      timeoutMs: 8_000,
      allowNonZero: true,
    });
    if (r.exitCode !== 0) return classifyVirshError(r.stderr).kind === "no-such-domain" ? "gone" : "unknown";
    return parseDomState(r.stdout).state === "running" ? "running" : "not-running";
  } catch {
    return "unknown";
  }
};
