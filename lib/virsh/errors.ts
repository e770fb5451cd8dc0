// Typed errors of lib/virsh. Builders throw VirshArgError *before* anything reaches a shell, so a
// hostile or malformed input never becomes a command line; parsers throw VirshParseError instead of
// returning half-understood values, so callers can tell "virsh said X" from "we did not understand".

/** An argument that must not be passed to virsh (option injection, control chars, out of range). */
export class VirshArgError extends Error {
  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`invalid ${argument}: ${reason}`);
    this.name = "VirshArgError";
  }
}

/** Output a parser could not understand. `text` is the offending output (or the offending line). */
export class VirshParseError extends Error {
  constructor(
    readonly parser: string,
    readonly reason: string,
    readonly text: string,
  ) {
    // The text goes into the message (shortened) because that is what ends up in logs.
    super(`${parser}: ${reason}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`);
    this.name = "VirshParseError";
  }
}

/**
 * QEMU answered a monitor command with an error. `virsh qemu-monitor-command` still exits 0 in
 * that case (virsh exits 0 on a monitor `Error: …`), so this is raised from the parsed reply, not from the exit code.
 */
export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    readonly desc: string,
  ) {
    super(`QEMU ${errorClass}: ${desc}`);
    this.name = "QmpError";
  }
}
