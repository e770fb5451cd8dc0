// Just enough XML for libvirt's own, machine-generated documents (capabilities, dumpxml): elements
// by name, attributes, text. libvirt writes them with a fixed layout and escapes ' " & < >, so a
// tolerant scanner is safe here; it is *not* a general XML parser (no CDATA, comments are skipped).
import { xmlUnescape } from "./text";

export type XmlElement = { name: string; attrs: Record<string, string>; body: string | null };

/** All `<name …>…</name>` / `<name …/>` elements in `xml`, outermost occurrences, document order. */
export function elements(xml: string, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const open = new RegExp(`<${name}(\\s[^<>]*?)?(/?)>`, "g");
  const src = xml.replace(/<!--[\s\S]*?-->/g, "");
  for (let m = open.exec(src); m; m = open.exec(src)) {
    const attrs = attributes(m[1] ?? "");
    if (m[2] === "/") {
      out.push({ name, attrs, body: null });
      continue;
    }
    const end = closingIndex(src, name, open.lastIndex);
    if (end < 0) break; // unterminated: callers treat a missing element as absent
    out.push({ name, attrs, body: src.slice(open.lastIndex, end) });
    open.lastIndex = end + name.length + 3;
  }
  return out;
}

/** First element `name` or null. */
export function element(xml: string, name: string): XmlElement | null {
  return elements(xml, name)[0] ?? null;
}

/** Unescaped text of the first `<name>text</name>`, or null. */
export function text(xml: string, name: string): string | null {
  const e = element(xml, name);
  return e?.body == null ? null : xmlUnescape(e.body.trim());
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/g)) {
    if (m[1]) out[m[1]] = xmlUnescape(m[2] ?? m[3] ?? "");
  }
  return out;
}

// Index of the `</name>` matching an element opened just before `from`, counting nested same-name
// elements (host <cpu> contains no <cpu>, but <topology> has <cpu/> children elsewhere).
function closingIndex(src: string, name: string, from: number): number {
  const tag = new RegExp(`<(/?)${name}(\\s[^<>]*?)?(/?)>`, "g");
  tag.lastIndex = from;
  let depth = 1;
  for (let m = tag.exec(src); m; m = tag.exec(src)) {
    if (m[1] === "/") depth -= 1;
    else if (m[3] !== "/") depth += 1;
    if (depth === 0) return m.index;
  }
  return -1;
}
