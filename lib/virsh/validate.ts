// Argument checks for the command builders. Every argv element ends up quoted for a remote shell
// (lib/ssh/quote), so shell injection is handled there; what quoting cannot prevent is *virsh*
// reading a word as an option (`--foo`) or a value it will reject or misread. That is checked here.
import { VirshArgError } from "./errors";

// C0 controls and DEL: NUL truncates a C argv, newlines split log lines and virsh's own output
// (`Domain: 'x'` blocks), and none of them belong in a libvirt name or URI.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Domain name, UUID or id as the positional `<domain>` argument. */
export function domainArg(dom: string): string {
  if (typeof dom !== "string" || dom === "") throw new VirshArgError("domain", "must be a non-empty string");
  if (dom.startsWith("-")) throw new VirshArgError("domain", "must not start with '-' (virsh would read an option)");
  if (CONTROL.test(dom))
    throw new VirshArgError("domain", "must not contain NUL, newlines or other control characters");
  if (dom.length > 1024) throw new VirshArgError("domain", "too long");
  return dom;
}

/** libvirt connection URI (`-c` and the migration destination). */
export function uriArg(uri: string, name = "uri"): string {
  if (typeof uri !== "string" || uri === "") throw new VirshArgError(name, "must be a non-empty string");
  if (uri.startsWith("-")) throw new VirshArgError(name, "must not start with '-'");
  if (CONTROL.test(uri) || /\s/.test(uri))
    throw new VirshArgError(name, "must not contain whitespace or control characters");
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri))
    throw new VirshArgError(name, "must start with a URI scheme such as qemu+ssh:");
  return uri;
}

/** Integer in [min, max], as the decimal string virsh expects. Rejects NaN, ±Infinity, fractions. */
export function intArg(value: number, name: string, min: number, max: number): string {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new VirshArgError(name, `must be a finite integer, got ${String(value)}`);
  }
  if (value < min || value > max) throw new VirshArgError(name, `must be between ${min} and ${max}, got ${value}`);
  return String(value);
}

/** Disk target (vda, sdb…) for `--migrate-disks`, which is a comma-separated list. */
export function diskTargetArg(target: string): string {
  if (typeof target !== "string" || !/^[A-Za-z0-9_.]+$/.test(target)) {
    throw new VirshArgError("migrateDisks", `not a disk target name: ${JSON.stringify(target)}`);
  }
  return target;
}

/** Word of an HMP command line; virsh parses each argv word, so a leading '-' would be an option. */
export function hmpWordArg(word: string): string {
  if (word.startsWith("-")) throw new VirshArgError("hmp", `word must not start with '-': ${JSON.stringify(word)}`);
  if (CONTROL.test(word)) throw new VirshArgError("hmp", "must not contain control characters");
  return word;
}

/** Absolute path of the log file of a detached command. */
export function logPathArg(path: string): string {
  if (typeof path !== "string" || !path.startsWith("/")) throw new VirshArgError("logPath", "must be an absolute path");
  if (CONTROL.test(path)) throw new VirshArgError("logPath", "must not contain control characters");
  return path;
}

/** Host name or address substituted into a migration URI template. */
export function uriHostArg(value: string, name: string): string {
  if (typeof value !== "string" || value === "") throw new VirshArgError(name, "must be a non-empty string");
  // IPv6 literals must be bracketed inside a URI authority.
  if (/^\[?[0-9A-Fa-f:.]+\]?$/.test(value) && value.includes(":")) {
    const bare = value.replace(/^\[|\]$/g, "");
    return `[${bare}]`;
  }
  // Hostname / IPv4 / ssh alias: anything else (/, ?, @, spaces) would change the URI's meaning.
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(value)) {
    throw new VirshArgError(name, `not usable as a URI host: ${JSON.stringify(value)}`);
  }
  return value;
}
