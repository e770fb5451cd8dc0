import "server-only";
import type { MigrationWithHosts } from "@/lib/db/migrations";
import { type HostReading, judgeWhereabouts, type Whereabouts } from "@/lib/migration/whereabouts";
import { onHost } from "@/lib/migration-ops/remote";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { domState } from "@/lib/virsh/commands";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { parseDomState } from "@/lib/virsh/parse-domstate";
import { AppError } from "@/lib/errors";

/**
 * One host's answer to `virsh domstate --reason`. "failed to get domain" means the domain is not
 * defined there; any other failure (SSH, libvirtd not answering) means the host cannot be asked.
 * `domstate` needs no job lock, so it answers even while a migration job holds the domain.
 */
export async function readOnHost(m: MigrationWithHosts, side: "source" | "dest"): Promise<HostReading> {
  const host = side === "source" ? m.sourceHost : m.destHost;
  try {
    const r = await onHost(m, side, domState(host.libvirtUri, m.vmName), { allowNonZero: true, timeoutMs: 10_000 });
    if (r.exitCode === 0) {
      const s = parseDomState(r.stdout);
      return { kind: "state", state: s.state, reason: s.reason };
    }
    const e = classifyVirshError(r.stderr);
    return e.kind === "no-such-domain" ? { kind: "absent" } : { kind: "unreachable", why: `libvirt: ${e.message}` };
  } catch (e) {
    if (e instanceof SshError) return { kind: "unreachable", why: describeSshError(e) };
    if (e instanceof AppError) return { kind: "unreachable", why: e.message };
    throw e;
  }
}

/** Asks both hosts (in parallel) where the guest is. */
export async function locateGuest(
  m: MigrationWithHosts,
): Promise<{ source: HostReading; dest: HostReading; where: Whereabouts }> {
  const [source, dest] = await Promise.all([readOnHost(m, "source"), readOnHost(m, "dest")]);
  return {
    source,
    dest,
    where: judgeWhereabouts({ name: m.sourceHost.name, reading: source }, { name: m.destHost.name, reading: dest }),
  };
}
