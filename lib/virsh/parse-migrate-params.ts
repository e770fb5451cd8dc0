// `migrate-getspeed` (MiB/s) and `migrate-getmaxdowntime` (ms): one integer each.
// getspeed is libvirt's cached value (no QMP round-trip) and reads 8796093022207 until a limit is
// set; getmaxdowntime asks QEMU (query-migrate-parameters) and works without a running job.
import { UNLIMITED_BANDWIDTH_MIB } from "./commands";
import { VirshParseError } from "./errors";
import { lines, parseUInt } from "./text";

export type MigrateSpeed = {
  mibPerSecond: number;
  /** libvirt's "no limit" (INT64_MAX bytes/s expressed in MiB/s). */
  unlimited: boolean;
  /** null when unlimited (the value would not fit a JS number exactly anyway). */
  bytesPerSecond: number | null;
};

function singleInteger(text: string, parser: string): number {
  const ls = lines(text).filter((l) => l !== "");
  if (ls.length !== 1 || !ls[0]) throw new VirshParseError(parser, "expected one integer", text);
  return parseUInt(ls[0], parser);
}

export function parseMigrateGetSpeed(text: string): MigrateSpeed {
  const mib = singleInteger(text, "parseMigrateGetSpeed");
  const unlimited = mib >= UNLIMITED_BANDWIDTH_MIB;
  return { mibPerSecond: mib, unlimited, bytesPerSecond: unlimited ? null : mib * 1024 * 1024 };
}

export function parseMigrateGetMaxDowntime(text: string): { ms: number } {
  return { ms: singleInteger(text, "parseMigrateGetMaxDowntime") };
}
