// Classifies virsh's stderr ("error: …" lines, possibly several) and QEMU monitor error texts into
// the kinds the console reacts to. Patterns are the real libvirt 9.0 / QEMU 7.2 texts captured in
// fixtures/ (s4-err-*, s1-04, s7, s8) and the error texts real virsh 9.0 printed in the lab; the original text is always kept.

export type VirshErrorKind =
  | "no-such-domain"
  | "not-running"
  | "no-job"
  | "postcopy-not-armed"
  | "postcopy-abort-refused"
  | "state-change-lock-timeout"
  | "migration-in-progress"
  | "same-host"
  | "dest-unreachable"
  | "already-exists"
  | "already-running"
  | "insufficient-memory"
  | "operation-aborted"
  | "unsafe-migration"
  | "invalid-uri"
  | "not-migration-source"
  | "monitor-closed"
  | "cpu-incompatible"
  | "unsupported"
  | "unknown-command"
  | "unknown";

export type VirshError = {
  kind: VirshErrorKind;
  /** The most specific line without its "error: " prefix (virsh prints the generic one first). */
  message: string;
  /** The full original text, untouched. */
  raw: string;
};

// Order matters: the first match wins, so specific texts come before the generic ones they contain
// (a dead QEMU monitor also says "Connection reset by peer", like an unreachable destination).
const RULES: readonly [VirshErrorKind, RegExp][] = [
  [
    "monitor-closed",
    /Unable to read from monitor|qemu unexpectedly closed the monitor(?![\s\S]*(Cannot allocate memory|cannot set up guest memory))/i,
  ],
  ["insufficient-memory", /Cannot allocate memory|cannot set up guest memory|Out of memory|not enough memory/i],
  ["state-change-lock-timeout", /cannot acquire state change lock/i],
  ["postcopy-not-armed", /requires migration to be started with VIR_MIGRATE_POSTCOPY/i],
  ["postcopy-abort-refused", /cannot abort migration in post-copy mode/i],
  ["operation-aborted", /operation aborted|canceled by client|migration .*(?:was )?cancell?ed/i],
  [
    "migration-in-progress",
    /There's a migration process in progress|another migration job is already running|domain is already being migrated/i,
  ],
  [
    "no-job",
    /no job is active on the domain|post-copy can only be started while outgoing migration is in progress|no migration in progress/i,
  ],
  ["not-migration-source", /migration statistics are available only on the source host/i],
  ["same-host", /Attempt to migrate guest to the same host/i],
  ["already-exists", /already exists with uuid|domain '.*' already exists/i],
  ["already-running", /domain is already running|Domain is already active/i],
  ["not-running", /domain is not running/i],
  ["no-such-domain", /failed to get domain|Domain not found|no domain with matching (name|uuid|id)/i],
  ["unsafe-migration", /Unsafe migration/i],
  [
    "cpu-incompatible",
    /guest CPU doesn't match|CPU is incompatible|guest and host CPU are not compatible|missing features/i,
  ],
  [
    "invalid-uri",
    /unexpected qemu URI path|no connection driver available|invalid (argument|URI)|Unable to parse URI/i,
  ],
  [
    "dest-unreachable",
    /Could not resolve hostname|Connection refused|No route to host|Connection timed out|Network is unreachable|Host key verification failed|Permission denied \(publickey|End of file while reading data|Cannot recv data|unable to connect to server|Failed to connect socket/i,
  ],
  [
    "unsupported",
    /Operation not supported|unsupported configuration|not supported by (the )?QEMU|argument unsupported/i,
  ],
  ["unknown-command", /unknown command:/i],
];

/** Classifies stderr of a failed virsh call (or a QMP/HMP error description). Never throws. */
export function classifyVirshError(text: string): VirshError {
  const errorLines = text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .map((l) => l.replace(/^error:\s*/, ""));
  // virsh prints "error: Failed to resume domain 'x'" then the libvirt reason: the last line is the
  // specific one, but match over all lines so either carries the kind.
  const joined = errorLines.join("\n");
  const kind = RULES.find(([, re]) => re.test(joined))?.[0] ?? "unknown";
  return { kind, message: errorLines[errorLines.length - 1] ?? "", raw: text };
}
