// Structured JSON logs on stdout/stderr, one object per line: {t, level, msg, ...fields}.
// CONVOY_LOG_LEVEL (debug|info|warn|error, default info) filters; CONVOY_LOG_FORMAT=pretty prints
// "t level msg {fields}" for people reading a terminal. Every line goes through `redact`, so a
// caller that passes a secret by mistake (a key, a cookie, a token, a URL's user:password@) never
// gets it printed.
type Fields = Record<string, unknown>;
type Level = "debug" | "info" | "warn" | "error";

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY =
  /^pass(word|phrase)?$|password|secret|token|private.?key|cookie|authorization|session.?(id|token)|credential/i;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const PEM = /-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|OPENSSH PRIVATE KEY)-----[\s\S]*?(-----END [A-Z0-9 ]*-----|$)/g;

/** Replaces secret-looking fields and PEM private-key blocks, at any depth (cycles cut). */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string")
    return value.replace(PEM, "[redacted private key]").replace(URL_CREDENTIALS, "$1[redacted]@");
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error)
    return { name: value.name, message: redact(value.message, seen), stack: redact(value.stack, seen) };
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEY.test(k) && v != null && v !== "" ? "[redacted]" : redact(v, seen);
  return out;
}

function threshold(): number {
  const l = process.env.CONVOY_LOG_LEVEL as Level | undefined;
  return ORDER[l && l in ORDER ? l : "info"];
}

/** One log line (exported for tests). */
export function formatLine(level: Level, msg: string, fields: Fields = {}, now = new Date()): string {
  const clean = redact(fields) as Fields;
  if (process.env.CONVOY_LOG_FORMAT === "pretty") {
    const rest = Object.keys(clean).length ? ` ${JSON.stringify(clean)}` : "";
    return `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${redact(msg)}${rest}`;
  }
  return JSON.stringify({ t: now.toISOString(), level, msg: redact(msg), ...clean });
}

function emit(level: Level, msg: string, fields?: Fields): void {
  if (ORDER[level] < threshold()) return;
  const line = formatLine(level, msg, fields);
  (level === "warn" || level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (msg: string, fields?: Fields) => emit("debug", msg, fields),
  info: (msg: string, fields?: Fields) => emit("info", msg, fields),
  warn: (msg: string, fields?: Fields) => emit("warn", msg, fields),
  error: (msg: string, fields?: Fields) => emit("error", msg, fields),
};
