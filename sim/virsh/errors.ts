// How virsh reports failures: each line of the libvirt error chain as "error: ...", on stderr,
// exit status 1. Texts used in more than one place live here so they stay identical.

export class VirshError extends Error {
  readonly lines: string[];
  constructor(...lines: string[]) {
    super(lines.join("\n"));
    this.name = "VirshError";
    this.lines = lines;
  }
}

/** Thrown by option parsing: printed like any error, but virsh prints no trailing blank line. */
export class VirshUsageError extends VirshError {}

export const ERR = {
  noDomain: (name: string) => `failed to get domain '${name}'`,
  notRunning: "Requested operation is not valid: domain is not running",
  alreadyRunning: "Requested operation is not valid: domain is already running",
  noJob: "Requested operation is not valid: no job is active on the domain",
  lockTimeout: (holder = "remoteDispatchDomainMigratePerform3Params") =>
    `Timed out during operation: cannot acquire state change lock (held by monitor=${holder})`,
  statsOnlyOnSource: "Operation not supported: migration statistics are available only on the source host",
  aborted: "operation aborted: job 'migration out' canceled by client",
  // What virsh migrate --p2p prints in about half of its aborts: the source libvirtd's p2p link
  // closes before the job's error reaches virsh (the other half print `aborted`). Real lab, libvirt 9.0.
  abortedP2p: "End of file while reading data: : Input/output error",
  failed: (desc: string) => `operation failed: job 'migration out' failed: ${desc}`,
  failedPostcopy: "operation failed: job 'migration out' failed in post-copy phase",
  postcopyNotArmed:
    "Requested operation is not valid: switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag",
  postcopyNoJob:
    "Requested operation is not valid: post-copy can only be started while outgoing migration is in progress",
  abortPostcopy: "Requested operation is not valid: cannot abort migration in post-copy mode",
  abortIncoming: "Requested operation is not valid: cannot abort incoming migration; use virDomainDestroy instead",
  sameHost: (uuid: string) => `internal error: Attempt to migrate guest to the same host ${uuid}`,
  unsafe: "Unsafe migration: Migration without shared storage is unsafe",
  readOnly: (api: string) => `operation forbidden: read only access prevents ${api}`,
} as const;
