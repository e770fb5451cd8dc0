// The console's input schemas strip keys they do not know (forms send extras), but for a script a
// misspelt field (`maxDowntimeMS`) silently replaced by its default is a lie about what it asked
// for. So an API body is compared with what its schema made of it: a key the parsed value lacks
// was stripped, i.e. unknown, and the body is refused naming it.

/** Dotted paths (`options.bogus`, `hostIds.0.x`) of the keys of `raw` that parsing dropped. */
export function unknownFields(raw: unknown, parsed: unknown, path: readonly string[] = []): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed))
    return raw.flatMap((v, i) => unknownFields(v, parsed[i], [...path, String(i)]));
  if (!isPlainObject(raw) || !isPlainObject(parsed)) return [];
  return Object.keys(raw).flatMap((k) =>
    Object.hasOwn(parsed, k) ? unknownFields(raw[k], parsed[k], [...path, k]) : [[...path, k].join(".")],
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
