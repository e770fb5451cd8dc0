// Small text helpers shared by the parsers. virsh pads columns with trailing spaces and QEMU's HMP
// answers with CRLF, so every parser goes through lines() instead of split("\n").
import { VirshParseError } from "./errors";

/** Lines without CR/trailing blanks; leading and trailing empty lines dropped (inner ones kept). */
export function lines(text: string): string[] {
  const out = text.split(/\r?\n|\r/).map((l) => l.trimEnd());
  while (out.length > 0 && out[0] === "") out.shift();
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}

/** Non-negative decimal integer that fits a JS number exactly; throws otherwise. */
export function parseUInt(value: string, parser: string, context = value): number {
  const v = value.trim();
  if (!/^\d+$/.test(v)) throw new VirshParseError(parser, "expected a non-negative integer", context);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new VirshParseError(parser, "integer too large", context);
  return n;
}

// vshPrettyCapacity() (virsh) prints sizes with 3 decimals in binary units, "0.000 B" included.
const BINARY_UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
  EiB: 1024 ** 6,
};

/**
 * "765.112 MiB" → bytes. The pretty form is rounded to 0.001 of its unit, so the result is only
 * that precise (±0.5 KiB at MiB scale); prefer `--rawstats` where exact numbers matter.
 */
export function parsePrettySize(value: string, parser: string, context = value): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB|PiB|EiB)$/.exec(value.trim());
  const unit = m?.[2] ? BINARY_UNITS[m[2]] : undefined;
  if (!m?.[1] || unit === undefined) throw new VirshParseError(parser, "expected a size like '1.5 MiB'", context);
  return Math.round(Number(m[1]) * unit);
}

/** "8.024 MiB/s" → bytes per second (same rounding caveat as parsePrettySize). */
export function parsePrettyRate(value: string, parser: string, context = value): number {
  const m = /^(.*\S)\/s$/.exec(value.trim());
  if (!m?.[1]) throw new VirshParseError(parser, "expected a rate like '8.024 MiB/s'", context);
  return parsePrettySize(m[1], parser, context);
}

/** "524288 KiB" → bytes (nodeinfo, dominfo, nodememstats all report KiB). */
export function parseKiB(value: string, parser: string, context = value): number {
  const m = /^(\d+)\s*KiB$/.exec(value.trim());
  if (!m?.[1]) throw new VirshParseError(parser, "expected '<n> KiB'", context);
  return parseUInt(m[1], parser, context) * 1024;
}

/**
 * Splits "Label:   value" lines (dominfo, nodeinfo, version…) at the first colon. Throws on a line
 * without one, so unexpected output is reported rather than skipped.
 */
export function labelValueLines(text: string, parser: string): { label: string; value: string; line: string }[] {
  return lines(text)
    .filter((l) => l !== "")
    .map((line) => {
      const i = line.indexOf(":");
      if (i <= 0) throw new VirshParseError(parser, "expected 'Label: value'", line);
      return { label: line.slice(0, i).trim(), value: line.slice(i + 1).trim(), line };
    });
}
