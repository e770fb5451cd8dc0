// Structured JSON logs on stdout/stderr, one object per line. Errors are reduced to name,
// message and stack; nothing here ever prints secrets because callers pass none.
type Fields = Record<string, unknown>;

function emit(level: "info" | "warn" | "error", msg: string, fields: Fields = {}): void {
  const out: Fields = { t: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  const line = JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  (level === "info" ? process.stdout : process.stderr).write(`${line}\n`);
}

export const log = {
  info: (msg: string, fields?: Fields) => emit("info", msg, fields),
  warn: (msg: string, fields?: Fields) => emit("warn", msg, fields),
  error: (msg: string, fields?: Fields) => emit("error", msg, fields),
};
