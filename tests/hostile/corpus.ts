// biome-ignore-all lint/suspicious/noTemplateCurlyInString: shell and template payloads are the point
// A deterministic corpus of hostile inputs, by category, for every form, server action and the
// simulated hostile hypervisor. Every value is built from literals (no randomness), so a failure
// names the same input on every run.

export type HostileCategory =
  | "shell"
  | "quotes"
  | "newlines"
  | "nul-control"
  | "unicode"
  | "long"
  | "option"
  | "path"
  | "injection"
  | "format"
  | "wrong-type"
  | "number"
  | "array";

export type HostileInput = { category: HostileCategory; label: string; value: unknown };

/** Marker file the shell payloads try to create; tests assert it never appears. */
export const PWNED_PATH = "/tmp/convoy-pwned";

const SHELL_METAS = [
  ";",
  "|",
  "&",
  "&&",
  "||",
  "$(",
  "`",
  ">",
  "<",
  ">>",
  "*",
  "?",
  "~",
  "#",
  "!",
  "{",
  "}",
  "[",
  "]",
  "\\",
  "$",
];

function shell(): string[] {
  const out: string[] = [];
  for (const m of SHELL_METAS) out.push(`vm${m}x`, `${m}touch ${PWNED_PATH}`);
  out.push(
    `$(touch ${PWNED_PATH})`,
    `\`touch ${PWNED_PATH}\``,
    `x; touch ${PWNED_PATH}`,
    `x && touch ${PWNED_PATH}`,
    `x | tee ${PWNED_PATH}`,
    `x > ${PWNED_PATH}`,
    `\${IFS}touch\${IFS}${PWNED_PATH}`,
    "$HOME",
    "${PATH}",
    "$((1+1))",
    "<(id)",
    ">(id)",
    "a b  c",
    "\ttab",
    "*",
    "?",
    "[a-z]*",
    "{a,b}",
    "~root",
    "!!",
    "2>&1",
  );
  return out;
}

const quotes = [
  "'",
  '"',
  "`",
  "'quoted'",
  '"double"',
  "it's",
  "a'b\"c",
  "'; touch /tmp/convoy-pwned; '",
  "\\'",
  "''''",
  '""""',
  "'\\''",
];

const newlines = [
  "a\nb",
  "a\rb",
  "a\r\nb",
  "\n",
  "line1\nline2\nline3",
  "name\n--help",
  "x\n$(id)",
  "a\u2028b",
  "a\u2029b",
  "a\u0085b",
];

const control = [
  "a\u0000b",
  "\u0000",
  "a\u0001b",
  "\u001b[31mred\u001b[0m",
  "a\u007fb",
  "bell\u0007",
  "a\bb",
  "\f",
  "\v",
  "\u0000--help",
];

const unicode = [
  "\u202eevil\u202c", // RTL override
  "a\u200bb", // zero-width space
  "\u200d",
  "\ufeffbom",
  "e\u0301\u0301\u0301", // combining marks
  "Z\u0351\u0357\u0350\u0334\u0320a\u0351\u0357lgo",
  "🚀vm",
  "👨‍👩‍👧‍👦",
  "рaypal", // Cyrillic р homoglyph
  "аdmin", // Cyrillic а
  "ＡＤＭＩＮ", // full-width
  "名前",
  "اسم",
  "\ud800", // lone surrogate
  "\udfff",
  "\uffff",
  "İstanbul",
  "ß",
  "ﬁle",
  "\u00a0nbsp\u00a0",
];

const long = [
  "a".repeat(64),
  "a".repeat(65),
  "a".repeat(256),
  "a".repeat(1_025),
  "a".repeat(10_000),
  "é".repeat(10_000),
  "a".repeat(1_000_000),
  "$(x)".repeat(2_500),
];

const option = [
  "--foo",
  "-c",
  "--help",
  "-",
  "--",
  "-rf",
  "--connect=qemu+ssh://evil/system",
  "-oProxyCommand=touch /tmp/convoy-pwned",
  "--live --unsafe",
  "-1",
];

const path = [
  "../../etc/passwd",
  "/etc/shadow",
  "..",
  ".",
  "/",
  "C:\\Windows\\system32",
  "....//....//",
  "%2e%2e%2f",
  "file:///etc/passwd",
  "/dev/zero",
  "~/.ssh/id_rsa",
  "a/b",
];

const injection = [
  "' OR '1'='1",
  '\'; DROP TABLE "User"; --',
  "1; SELECT pg_sleep(10)",
  '" OR 1=1 --',
  "<script>window.__pwned=1</script>",
  "<img src=x onerror=window.__pwned=1>",
  '"><svg onload=window.__pwned=1>',
  "javascript:window.__pwned=1",
  "{{7*7}}",
  "${7*7}",
  "<!--",
  "]]>",
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '{"$ne":null}',
  "__proto__",
  "constructor",
];

const format = ["%s%s%s%s", "%n", "%x%x", "%d", "%%", "{0}", "%(x)s", "\\u0000", "\\x00", "\\n"];

const wrongTypes: Array<[string, unknown]> = [
  ["number 0", 0],
  ["number 1", 1],
  ["true", true],
  ["false", false],
  ["null", null],
  ["undefined", undefined],
  ["empty array", []],
  ["array of string", ["a"]],
  ["empty object", {}],
  ["object", { a: 1 }],
  ["__proto__ pollution", JSON.parse('{"__proto__":{"polluted":true}}')],
  ["constructor pollution", { constructor: { prototype: { polluted: true } } }],
  ["date", new Date(0)],
  ["bigint", 10n],
  ["nested", { a: { b: { c: [1, { d: null }] } } }],
  ["empty string", ""],
  ["whitespace", "   "],
  ["function-looking", "() => 1"],
];

const numbers: Array<[string, unknown]> = [
  ["-1", -1],
  ["-0", -0],
  ["0.5", 0.5],
  ["1e308", 1e308],
  ["-1e308", -1e308],
  ["MAX_SAFE+1", Number.MAX_SAFE_INTEGER + 1],
  ["MIN_SAFE-1", Number.MIN_SAFE_INTEGER - 1],
  ["2^31", 2 ** 31],
  ["2^63", 2 ** 63],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["-Infinity", Number.NEGATIVE_INFINITY],
  ["1e-320", 1e-320],
  ["string -1", "-1"],
  ["string 1e9999", "1e9999"],
  ["string NaN", "NaN"],
  ["string 0x10", "0x10"],
  ["string 1.5", "1.5"],
  ["string 99999999999999999999", "99999999999999999999"],
];

const arrays: Array<[string, unknown]> = [
  ["10k strings", Array.from({ length: 10_000 }, (_, i) => `v${i}`)],
  ["1k objects", Array.from({ length: 1_000 }, () => ({}))],
  ["sparse", Array(5)],
  ["nested arrays", [[[[[]]]]]],
  ["mixed", [1, "a", null, {}, []]],
];

function label(v: string): string {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}…(${v.length})` : s;
}

/** Every hostile input, deduplicated by value (strings) or label (others). */
export function hostileCorpus(): HostileInput[] {
  const out: HostileInput[] = [];
  const seen = new Set<string>();
  const addStrings = (category: HostileCategory, values: string[]) => {
    for (const v of values) {
      if (seen.has(`s:${v}`)) continue;
      seen.add(`s:${v}`);
      out.push({ category, label: label(v), value: v });
    }
  };
  const addValues = (category: HostileCategory, values: Array<[string, unknown]>) => {
    for (const [l, v] of values) {
      if (seen.has(`v:${l}`)) continue;
      seen.add(`v:${l}`);
      out.push({ category, label: l, value: v });
    }
  };
  addStrings("shell", shell());
  addStrings("quotes", quotes);
  addStrings("newlines", newlines);
  addStrings("nul-control", control);
  addStrings("unicode", unicode);
  addStrings("long", long);
  addStrings("option", option);
  addStrings("path", path);
  addStrings("injection", injection);
  addStrings("format", format);
  addValues("wrong-type", wrongTypes);
  addValues("number", numbers);
  addValues("array", arrays);
  return out;
}

/** Only the string inputs (names a hypervisor could return, text typed into a form). */
export function hostileStrings(): string[] {
  return hostileCorpus()
    .map((c) => c.value)
    .filter((v): v is string => typeof v === "string");
}

/** A small representative subset for the browser forms (one or two per category, kept fast). */
export function browserSubset(): string[] {
  const pick = [
    `$(touch ${PWNED_PATH})`,
    "x; touch /tmp/convoy-pwned",
    "`id`",
    "a'b\"c",
    "a\nb",
    "\u202eevil\u202c",
    "a\u200bb",
    "🚀vm",
    "рaypal",
    "a".repeat(10_000),
    "--help",
    "-c",
    "../../etc/passwd",
    "' OR '1'='1",
    "<img src=x onerror=window.__pwned=1>",
    "<script>window.__pwned=1</script>",
    "{{7*7}}",
    "%s%s%n",
    "__proto__",
    "-1",
    "1e308",
    "NaN",
    "0.5",
    "   ",
  ];
  return pick;
}
