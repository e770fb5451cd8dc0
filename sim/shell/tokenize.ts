// Tokenizer for the shell subset (see parse.ts): words with their quoting resolved, operators,
// newlines. `$(...)` and backticks become literal text here, so nothing downstream can run them.

/** A piece of a word: literal text, or a parameter expanded when the command runs ($!, $?, $HOME). */
export type WordPart = { kind: "lit"; text: string } | { kind: "var"; name: string };
export type Word = WordPart[];

export class ShellSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    // dash: "sh: 1: Syntax error: Unterminated quoted string"
    super(`sh: ${line}: Syntax error: ${detail}`);
    this.name = "ShellSyntaxError";
  }
}

export type Token =
  | { t: "word"; word: Word; raw: string; line: number; quoted: boolean; glued: boolean }
  | { t: "op"; op: string; line: number }
  | { t: "nl"; line: number }
  | { t: "eof"; line: number };

export const OPERATORS = ["&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">"];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "\n") {
      out.push({ t: "nl", line });
      line++;
      i++;
      continue;
    }
    if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      line++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: "op", op, line });
      i += op.length;
      continue;
    }
    const start = i;
    const startLine = line;
    const parts: WordPart[] = [];
    let quoted = false;
    const lit = (s: string) => {
      const last = parts[parts.length - 1];
      if (last && last.kind === "lit") last.text += s;
      else parts.push({ kind: "lit", text: s });
    };
    while (i < src.length) {
      const ch = src[i] as string;
      if (ch === " " || ch === "\t" || ch === "\n" || OPERATORS.some((o) => src.startsWith(o, i))) break;
      if (ch === "\\") {
        if (i + 1 >= src.length) {
          lit("\\");
          i++;
        } else if (src[i + 1] === "\n") {
          i += 2;
          line++;
        } else {
          lit(src[i + 1] as string);
          quoted = true;
          i += 2;
        }
      } else if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError(startLine, "Unterminated quoted string");
        lit(src.slice(i + 1, end));
        line += countNl(src.slice(i + 1, end));
        quoted = true;
        i = end + 1;
      } else if (ch === '"') {
        i = readDouble(src, i + 1, parts, lit, startLine);
        quoted = true;
      } else if (ch === "`") {
        // Command substitution is never run: keep it as the literal text it was written as.
        const end = src.indexOf("`", i + 1);
        if (end < 0) throw new ShellSyntaxError(startLine, "EOF in backquote substitution");
        lit(src.slice(i, end + 1));
        i = end + 1;
      } else if (ch === "$") {
        i = readDollar(src, i, parts, lit, startLine);
      } else {
        lit(ch);
        i++;
      }
    }
    // "glued": the word ends right at an operator, as the "2" of "2>&1" does.
    const glued = i < src.length && OPERATORS.some((o) => src.startsWith(o, i));
    out.push({ t: "word", word: parts, raw: src.slice(start, i), line: startLine, quoted, glued });
  }
  out.push({ t: "eof", line });
  return out;
}

function countNl(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === "\n") n++;
  return n;
}

// Inside "…": backslash escapes only $ ` " \ and newline (POSIX 2.2.3); $ still expands.
function readDouble(src: string, i: number, parts: WordPart[], lit: (s: string) => void, line: number): number {
  while (i < src.length) {
    const ch = src[i] as string;
    if (ch === '"') return i + 1;
    if (ch === "\\" && i + 1 < src.length) {
      const nx = src[i + 1] as string;
      if (nx === "\n") {
        i += 2;
      } else if ('$`"\\'.includes(nx)) {
        lit(nx);
        i += 2;
      } else {
        lit("\\");
        i++;
      }
    } else if (ch === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) throw new ShellSyntaxError(line, "EOF in backquote substitution");
      lit(src.slice(i, end + 1));
      i = end + 1;
    } else if (ch === "$") {
      i = readDollar(src, i, parts, lit, line);
    } else {
      lit(ch);
      i++;
    }
  }
  throw new ShellSyntaxError(line, "Unterminated quoted string");
}

// `$!`, `$?`, `$$`, `$NAME`, `${NAME}` become parameters; `$(...)`/`$((...))` stay literal text.
function readDollar(src: string, i: number, parts: WordPart[], lit: (s: string) => void, line: number): number {
  const nx = src[i + 1];
  if (nx === "!" || nx === "?" || nx === "$" || nx === "#" || nx === "0") {
    parts.push({ kind: "var", name: nx });
    return i + 2;
  }
  if (nx === "(") {
    let depth = 0;
    let j = i + 1;
    for (; j < src.length; j++) {
      if (src[j] === "(") depth++;
      else if (src[j] === ")" && --depth === 0) break;
    }
    if (j >= src.length) throw new ShellSyntaxError(line, "Unterminated quoted string");
    lit(src.slice(i, j + 1));
    return j + 1;
  }
  if (nx === "{") {
    const end = src.indexOf("}", i + 2);
    if (end < 0) throw new ShellSyntaxError(line, "Missing '}'");
    const name = src.slice(i + 2, end);
    if (!NAME.test(name) && !/^[!?$#0-9]$/.test(name)) throw new ShellSyntaxError(line, "Bad substitution");
    parts.push({ kind: "var", name });
    return end + 1;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1));
  if (m) {
    parts.push({ kind: "var", name: m[0] });
    return i + 1 + m[0].length;
  }
  if (nx !== undefined && /[0-9]/.test(nx)) {
    parts.push({ kind: "var", name: nx });
    return i + 2;
  }
  lit("$");
  return i + 1;
}
