// JSON exactly as `virsh qemu-monitor-command` prints it: libvirt 9.0 re-serialises QEMU's reply
// with yajl (beautified: two-space indent, `"key": value`, an empty object as "{\n\n  }"), and
// numbers keep QEMU's own text (doubles as C's %.17g, e.g. 67.307040000000001).

/** A number QEMU sends as a double (`mbps`), printed with %.17g even when integral. */
export class QmpDouble {
  constructor(readonly value: number) {}
}

export type QmpValue = string | number | boolean | null | QmpDouble | QmpValue[] | { [k: string]: QmpValue };

/** C printf "%.17g". */
export function formatG17(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 17) {
    const [m, e] = x.toExponential(16).split("e") as [string, string];
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? "-" : "+"}${String(Math.abs(en)).padStart(2, "0")}`;
  }
  const s = x.toFixed(Math.max(0, 16 - exp));
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function num(n: number): string {
  // Integers beyond 2^53 (e.g. max-bandwidth 9223372036853727232) print exactly via BigInt.
  if (Number.isInteger(n)) return Math.abs(n) > Number.MAX_SAFE_INTEGER ? BigInt(n).toString() : String(n);
  return formatG17(n);
}

export function toJson(v: QmpValue, pretty: boolean): string {
  return pretty ? `${gen(v, 0)}\n` : gen(v, -1);
}

function gen(v: QmpValue, depth: number): string {
  const pretty = depth >= 0;
  const ind = (d: number) => (pretty ? "  ".repeat(d) : "");
  if (v === null) return "null";
  if (v instanceof QmpDouble) return formatG17(v.value);
  if (typeof v === "number") return num(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return JSON.stringify(v);
  const nl = pretty ? "\n" : "";
  const sep = pretty ? ",\n" : ",";
  if (Array.isArray(v)) {
    const items = v.map((x) => ind(depth + 1) + gen(x, pretty ? depth + 1 : -1));
    return `[${nl}${items.join(sep)}${nl}${ind(depth)}]`;
  }
  const items = Object.entries(v).map(
    ([k, x]) => `${ind(depth + 1)}${JSON.stringify(k)}:${pretty ? " " : ""}${gen(x, pretty ? depth + 1 : -1)}`,
  );
  return `{${nl}${items.join(sep)}${nl}${ind(depth)}}`;
}
