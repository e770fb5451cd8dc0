// Size and nesting limits for every parser of text Convoy did not write itself (inventory files,
// policy JSON, QMP replies, webhook config). yaml's composer and V8's regexp engine recurse per
// nesting level: ~1,500 levels of `[` or `{"a":` (4 KB) exhaust the stack inside a regexp exec and
// V8 aborts the whole process ("RegExpCompiler Allocation failed") — no catch can help. So depth
// is measured before (JSON: a scan outside strings) or while (YAML: the iterative CST parser's
// stack) parsing, and anything deeper than a real document needs is refused with a clear message.
import { Composer, Lexer, Parser } from "yaml";

export type ParseLimits = { maxChars: number; maxDepth: number };

/** Deep enough for any inventory, policy or QMP reply (they nest ≤ 8), far below the stack's reach. */
export const DEFAULT_LIMITS: ParseLimits = { maxChars: 5_000_000, maxDepth: 64 };

/** A refused input: the message is safe to show (it names the limit, never echoes the input). */
export class ParseLimitError extends Error {
  override name = "ParseLimitError";
}

/** Deepest `[`/`{` nesting outside JSON strings; stops counting once `stopAbove` is passed. */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAbove) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

function checkSize(text: string, what: string, limits: ParseLimits): void {
  if (text.length > limits.maxChars)
    throw new ParseLimitError(`${what} is too large (at most ${limits.maxChars.toLocaleString("en-US")} characters)`);
}

function tooDeep(what: string, limits: ParseLimits): ParseLimitError {
  return new ParseLimitError(`${what} is nested too deeply (at most ${limits.maxDepth} levels)`);
}

/** JSON.parse behind a size and depth check. Throws ParseLimitError or JSON.parse's SyntaxError. */
export function parseJsonLimited(text: string, what: string, limits: ParseLimits = DEFAULT_LIMITS): unknown {
  checkSize(text, what, limits);
  if (jsonDepth(text, limits.maxDepth) > limits.maxDepth) throw tooDeep(what, limits);
  return JSON.parse(text);
}

/**
 * yaml's `parse()` (one document, YAML being a superset of JSON) with the nesting measured on the
 * CST parser's stack after every lexeme — lexer and parser are iterative, only the composer that
 * follows recurses — and aliases capped so no billion-laughs expansion. Throws ParseLimitError or
 * yaml's YAMLParseError.
 */
export function parseYamlLimited(text: string, what: string, limits: ParseLimits = DEFAULT_LIMITS): unknown {
  checkSize(text, what, limits);
  const parser = new Parser();
  function* tokens() {
    for (const lexeme of new Lexer().lex(text)) {
      yield* parser.next(lexeme);
      if (parser.stack.length - 1 > limits.maxDepth) throw tooDeep(what, limits); // [0] is the document
    }
    yield* parser.end();
  }
  const docs = [...new Composer({ logLevel: "error" }).compose(tokens(), true, text.length)];
  const doc = docs[0];
  if (!doc) return null;
  if (docs.length > 1) throw new ParseLimitError(`${what} holds several YAML documents; send one`);
  const error = doc.errors[0];
  if (error) throw error;
  // Aliases share nodes, so the value can be deeper than the text (each alias adds its anchor's
  // depth): measure the value too before anyone walks it.
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (valueDepth(value, limits.maxDepth) > limits.maxDepth) throw tooDeep(what, limits);
  return value;
}

/**
 * Nesting of a parsed value, level by level without recursion. Nodes shared through aliases are
 * visited once per level, so a billion-laughs graph costs no more than its distinct nodes; a cycle
 * counts as too deep.
 */
export function valueDepth(value: unknown, stopAbove: number): number {
  let level: object[] = typeof value === "object" && value !== null ? [value] : [];
  let depth = 0;
  while (level.length > 0 && depth <= stopAbove) {
    depth++;
    const next = new Set<object>();
    for (const node of level) {
      const children =
        node instanceof Map
          ? [...node.keys(), ...node.values()]
          : node instanceof Set
            ? [...node]
            : Object.values(node);
      for (const c of children) if (typeof c === "object" && c !== null) next.add(c);
    }
    level = [...next];
  }
  return depth;
}
