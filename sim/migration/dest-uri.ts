// Resolving a migration destination URI the way the source host would: ssh to the named host,
// then talk to its libvirtd. Failures carry the texts ssh/libvirt print (captured from real virsh 9.0).
import type { SimHost } from "../model/host";

export type DestResolution =
  | { ok: true; host: SimHost }
  /** `hang`: TCP accepted, no SSH banner — ssh (and so virsh) waits. */
  | { ok: false; hang: SimHost }
  | { ok: false; error: string };

const DEFAULT_SOCKETS = new Set(["/run/libvirt/libvirt-sock", "/var/run/libvirt/libvirt-sock"]);

/**
 * `hosts` are all simulated hosts; `from` is the source (its sshd config knows every fleet name,
 * like the lab's ssh aliases do).
 */
export function resolveDestUri(uri: string, hosts: SimHost[]): DestResolution {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?]*)@)?(\[[^\]]*\]|[^/:?]*)(?::(\d+))?(\/[^?]*)?(?:\?(.*))?$/.exec(
    uri,
  );
  if (!m) return { ok: false, error: `invalid argument: Unable to parse URI ${uri}` };
  const scheme = (m[1] as string).toLowerCase();
  const name = m[3] ?? "";
  const port = m[4] === undefined ? undefined : Number(m[4]);
  const path = m[5] ?? "";
  const query = new URLSearchParams(m[6] ?? "");
  const [driver, transport] = scheme.split("+");
  if (driver !== "qemu") return { ok: false, error: `no connection driver available for ${uri}` };

  if (transport === "tcp" || transport === "tls") {
    const p = port ?? (transport === "tcp" ? 16509 : 16514);
    return { ok: false, error: `unable to connect to server at '${name}:${p}': Connection refused` };
  }
  if (transport !== "ssh" && transport !== "libssh" && transport !== "libssh2") {
    return { ok: false, error: `internal error: unexpected qemu URI path '${path}', try qemu:///system` };
  }

  const byName = hosts.find((h) => h.name === name);
  const isLoopback = name === "127.0.0.1" || name === "localhost" || name === "[::1]";
  const host = byName ?? (isLoopback && port !== undefined ? hosts.find((h) => h.port === port) : undefined);
  const shownPort = port ?? byName?.port ?? 22;
  const sshErr = (detail: string) => `Cannot recv data: ssh: ${detail}: Connection reset by peer`;
  if (!host) {
    if (isLoopback)
      return { ok: false, error: sshErr(`connect to host ${name} port ${shownPort}: Connection refused`) };
    return { ok: false, error: sshErr(`Could not resolve hostname ${name}: Name or service not known`) };
  }
  if (port !== undefined && port !== host.port) {
    return { ok: false, error: sshErr(`connect to host ${name} port ${port}: Connection refused`) };
  }
  if (host.faults.down || host.faults.sshRefused) {
    return { ok: false, error: sshErr(`connect to host ${name} port ${shownPort}: Connection refused`) };
  }
  if (host.faults.linkDown) {
    return { ok: false, error: sshErr(`connect to host ${name} port ${shownPort}: No route to host`) };
  }
  if (host.faults.hang) return { ok: false, hang: host };
  const socket = query.get("socket");
  if (socket !== null && !DEFAULT_SOCKETS.has(socket)) {
    return {
      ok: false,
      error: `End of file while reading data: nc: ${socket}: No such file or directory: Input/output error`,
    };
  }
  if (path !== "/system") {
    return { ok: false, error: `internal error: unexpected qemu URI path '${path}', try qemu:///system` };
  }
  return { ok: true, host };
}
