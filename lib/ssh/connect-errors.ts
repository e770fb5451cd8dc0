import "server-only";
import type { SshErrorInit } from "./errors";

// Translation of ssh2's connection-level errors into SshError fields (kinds), shared by the pool and
// the host-key probe so both speak the same vocabulary. ssh2 tags errors with a `level`:
//   client-socket          → TCP/DNS failure (err.code = ECONNREFUSED, EHOSTUNREACH, ENOTFOUND …)
//   client-dns             → DNS failure with forceIPv4/6
//   client-timeout         → readyTimeout ("Timed out while waiting for handshake") or keepalive
//   client-authentication  → every auth method rejected
//   handshake / protocol   → kex failure, host key rejected by our verifier, lost before banner

export type SshErrorContext = Pick<SshErrorInit, "host" | "command" | "hostId" | "address" | "port" | "username">;

export type Ssh2Error = Error & { level?: string; code?: string | number };

export function unreachableFromSocketError(err: Ssh2Error, ctx: SshErrorContext): SshErrorInit {
  const code = typeof err.code === "string" ? err.code : undefined;
  return {
    ...ctx,
    kind: "unreachable",
    ...(code !== undefined ? { code } : {}),
    detail: err.message,
    cause: err,
  };
}

/**
 * Classify an error emitted by ssh2 Client before or after `ready`. Host-key mismatches are
 * decided by the caller (it knows what its verifier saw) and never reach this function.
 */
export function classifyClientError(
  err: Ssh2Error,
  ctx: SshErrorContext,
  phase: { ready: boolean; readyTimeoutMs: number },
): SshErrorInit {
  switch (err.level) {
    case "client-authentication":
      return { ...ctx, kind: "auth", detail: err.message, cause: err };
    case "client-timeout":
      // Before ready this is readyTimeout (the host accepted TCP but never completed SSH);
      // after ready it is the keepalive giving up. Either way the host is not usable.
      return {
        ...ctx,
        kind: "unreachable",
        code: phase.ready ? "KEEPALIVE_TIMEOUT" : "HANDSHAKE_TIMEOUT",
        detail: phase.ready ? "keepalive timeout" : `no SSH handshake within ${phase.readyTimeoutMs} ms`,
        cause: err,
      };
    default:
      return unreachableFromSocketError(err, ctx);
  }
}

/** ssh2 throws synchronously from connect() for an unparsable key; never echo the key itself. */
export function invalidKeyError(ctx: Omit<SshErrorContext, "command">): Omit<SshErrorInit, "command"> {
  return { ...ctx, kind: "auth", detail: "private key could not be parsed" };
}
