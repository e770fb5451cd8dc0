// Pure: no I/O, no "server-only" — client components may format a serialized SshError.
//
// Callers never see raw ssh2 events or errors (conventions rule 12): everything that can go
// wrong on the SSH path becomes one SshError with a kind the UI and the worker can branch on.
// Nothing in here may ever carry private key material: the fields are built by lib/ssh from
// the target's public parameters only.

export type SshErrorKind = "auth" | "host-key" | "timeout" | "exit" | "unreachable";

export const SSH_ERROR_KINDS: readonly SshErrorKind[] = ["auth", "host-key", "timeout", "exit", "unreachable"];

export interface SshErrorInit {
  kind: SshErrorKind;
  /** Display name of the host (SshTarget.name), or address:port when there is no name. */
  host: string;
  /** The full command line sent (already quoted), "" when no command was involved. */
  command: string;
  exitCode?: number | null;
  stderr?: string;
  // Optional context, used for messages and describeSshError; all of it is safe to show.
  hostId?: string;
  address?: string;
  port?: number;
  username?: string;
  expectedFingerprint?: string;
  actualFingerprint?: string;
  /** Remote signal name ("SIGKILL") when the process died by a signal. */
  signal?: string | null;
  timeoutMs?: number;
  /** errno-style code of the underlying failure (ECONNREFUSED, ENOTFOUND …). */
  code?: string;
  /** One-line technical detail from the underlying failure. */
  detail?: string;
  cause?: unknown;
}

/** Serialized form (what toJSON returns); safe to log and to send to the browser. */
export type SshErrorJson = Omit<SshErrorInit, "cause" | "exitCode" | "stderr"> & {
  name: "SshError";
  message: string;
  exitCode: number | null;
  stderr: string;
};

// Long virsh lines (`virsh -c qemu+ssh://… domjobinfo --completed …`) make unreadable messages;
// the full line stays available in `command`.
const MAX_COMMAND_IN_MESSAGE = 60;

export function shortCommand(command: string): string {
  const oneLine = command.replace(/\s+/g, " ").trim();
  if (oneLine.length <= MAX_COMMAND_IN_MESSAGE) return oneLine;
  const first = oneLine.split(" ", 1)[0] ?? "";
  const head = first.length > 20 ? first.slice(0, 20) : first;
  let tail = oneLine.slice(-(MAX_COMMAND_IN_MESSAGE - head.length - 3));
  const sp = tail.indexOf(" ");
  if (sp > 0 && sp < tail.length - 1) tail = tail.slice(sp + 1);
  return `${head} … ${tail}`;
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ""
  );
}

function buildMessage(i: SshErrorInit): string {
  const running = i.command ? ` running "${shortCommand(i.command)}"` : "";
  switch (i.kind) {
    case "timeout":
      return `${i.host}: ssh timeout${i.timeoutMs !== undefined ? ` after ${i.timeoutMs} ms` : ""}${running}`;
    case "host-key":
      return `${i.host}: host key mismatch (expected ${i.expectedFingerprint ?? "?"}, got ${i.actualFingerprint ?? "?"})${running}`;
    case "auth":
      return `${i.host}: ssh authentication failed${i.username ? ` for user ${i.username}` : ""}${running}${i.detail ? `: ${i.detail}` : ""}`;
    case "unreachable":
      return `${i.host}: ssh unreachable${running}${i.detail ? `: ${i.detail}` : ""}`;
    case "exit": {
      const how = i.signal
        ? `killed by ${i.signal}`
        : i.exitCode === null || i.exitCode === undefined
          ? "ended without exit status"
          : `exited with status ${i.exitCode}`;
      const err = firstLine(i.stderr ?? "") || (i.detail ?? "");
      return `${i.host}: "${shortCommand(i.command)}" ${how}${err ? `: ${err}` : ""}`;
    }
  }
}

export class SshError extends Error {
  override readonly name = "SshError" as const;
  readonly kind: SshErrorKind;
  readonly host: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  declare readonly hostId?: string;
  declare readonly address?: string;
  declare readonly port?: number;
  declare readonly username?: string;
  declare readonly expectedFingerprint?: string;
  declare readonly actualFingerprint?: string;
  declare readonly signal?: string | null;
  declare readonly timeoutMs?: number;
  declare readonly code?: string;
  declare readonly detail?: string;

  constructor(init: SshErrorInit) {
    super(buildMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.host = init.host;
    this.command = init.command;
    this.exitCode = init.exitCode ?? null;
    this.stderr = init.stderr ?? "";
    // Optional fields are `declare`d and only assigned when present, so instances and their JSON
    // carry no `undefined` noise.
    if (init.hostId !== undefined) this.hostId = init.hostId;
    if (init.address !== undefined) this.address = init.address;
    if (init.port !== undefined) this.port = init.port;
    if (init.username !== undefined) this.username = init.username;
    if (init.expectedFingerprint !== undefined) this.expectedFingerprint = init.expectedFingerprint;
    if (init.actualFingerprint !== undefined) this.actualFingerprint = init.actualFingerprint;
    if (init.signal !== undefined) this.signal = init.signal;
    if (init.timeoutMs !== undefined) this.timeoutMs = init.timeoutMs;
    if (init.code !== undefined) this.code = init.code;
    if (init.detail !== undefined) this.detail = init.detail;
  }

  toJSON(): SshErrorJson {
    const out: SshErrorJson = {
      name: "SshError",
      kind: this.kind,
      message: this.message,
      host: this.host,
      command: this.command,
      exitCode: this.exitCode,
      stderr: this.stderr,
    };
    for (const k of [
      "hostId",
      "address",
      "port",
      "username",
      "expectedFingerprint",
      "actualFingerprint",
      "signal",
      "timeoutMs",
      "code",
      "detail",
    ] as const) {
      if (this[k] !== undefined) (out as Record<string, unknown>)[k] = this[k];
    }
    return out;
  }
}

export function isSshError(e: unknown): e is SshError {
  return e instanceof SshError;
}

type Describable = Pick<SshErrorJson, "kind" | "host" | "command" | "exitCode" | "stderr"> & Partial<SshErrorJson>;

function isDescribable(e: unknown): e is Describable {
  if (typeof e !== "object" || e === null) return false;
  const kind = (e as { kind?: unknown }).kind;
  return typeof kind === "string" && (SSH_ERROR_KINDS as readonly string[]).includes(kind);
}

function unreachableReason(e: Describable): string {
  const where = e.address ? ` (${e.address}${e.port !== undefined ? `:${e.port}` : ""})` : "";
  switch (e.code) {
    case "ECONNREFUSED":
      return `Connection refused by ${e.host}${where} — is sshd running?`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `No route to ${e.host}${where}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DNS lookup failed for ${e.address ?? e.host}`;
    case "ETIMEDOUT":
    case "HANDSHAKE_TIMEOUT":
      return `${e.host}${where} did not complete the SSH handshake in time`;
    case "KEEPALIVE_TIMEOUT":
      return `Lost connection to ${e.host}: keepalive timeout`;
    default:
      return `Cannot reach ${e.host}${where}${e.detail ? `: ${e.detail}` : ""}`;
  }
}

/**
 * One sentence for the UI. Accepts a live SshError or its JSON form (e.g. after crossing the
 * server-action boundary); anything else gets a generic text so internals never leak.
 */
export function describeSshError(e: unknown): string {
  if (!(e instanceof SshError) && !isDescribable(e)) return "Unexpected SSH error";
  const d = e as Describable;
  switch (d.kind) {
    case "auth":
      return `SSH authentication failed for user ${d.username ?? "(unknown)"} on ${d.host}`;
    case "host-key":
      return `Host key mismatch: expected ${d.expectedFingerprint ?? "(none pinned)"}, got ${d.actualFingerprint ?? "(unknown)"} — refusing to connect`;
    case "unreachable":
      return unreachableReason(d);
    case "timeout":
      return `${d.host} did not answer${d.timeoutMs !== undefined ? ` within ${d.timeoutMs} ms` : " in time"}${d.command ? ` (${shortCommand(d.command)})` : ""}`;
    case "exit": {
      const line = firstLine(d.stderr ?? "");
      if (line) return line;
      if (d.signal) return `Remote command killed by ${d.signal}`;
      if (d.detail && d.detail !== "no exit status") return `${d.host}: ${d.detail}`;
      return d.exitCode === null || d.exitCode === undefined
        ? "Remote command ended without an exit status"
        : `Remote command failed with exit status ${d.exitCode}`;
    }
  }
}
