// Parser for the POSIX-shell subset an SSH exec request carries (sshd hands the line to the
// login shell; on Debian that is dash, whose error texts we copy). It understands quoting,
// `;` `&&` `||` `|` `&`, redirections and `$!`-style parameters, and nothing that could execute
// code: `$(...)` and backticks are kept as literal text, globs are never expanded.
import { ShellSyntaxError, type Token, tokenize, type Word } from "./tokenize";

export { ShellSyntaxError, type Word, type WordPart } from "./tokenize";

export interface Redirect {
  fd: number;
  op: ">" | ">>" | "<" | ">&" | "<&" | "<>" | ">|";
  target: Word;
}

export interface SimpleCommand {
  /** Leading NAME=value words. */
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
  /** Line number, for dash's `sh: LINE: NAME: not found`. */
  line: number;
}

export type Pipeline = SimpleCommand[];
export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; pipeline: Pipeline }[];
}
export interface ListItem {
  cmd: AndOr;
  background: boolean;
}

const REDIRECT_OPS = new Set(["<", ">", ">>", "<&", ">&", "<>", ">|"]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseShell(input: string): ListItem[] {
  return new Parser(tokenize(input)).list();
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos] as Token;
  }

  private unexpected(tok: Token): never {
    if (tok.t === "eof") throw new ShellSyntaxError(tok.line, "end of file unexpected");
    if (tok.t === "nl") throw new ShellSyntaxError(tok.line, "newline unexpected");
    if (tok.t === "op") throw new ShellSyntaxError(tok.line, `"${tok.op}" unexpected`);
    throw new ShellSyntaxError(tok.line, `word unexpected (expecting ")")`);
  }

  list(): ListItem[] {
    const items: ListItem[] = [];
    for (;;) {
      while (this.peek().t === "nl") this.pos++;
      const tok = this.peek();
      if (tok.t === "eof") return items;
      const cmd = this.andOr();
      const sep = this.peek();
      if (sep.t === "op" && (sep.op === ";" || sep.op === "&")) {
        this.pos++;
        items.push({ cmd, background: sep.op === "&" });
      } else if (sep.t === "nl" || sep.t === "eof") {
        items.push({ cmd, background: false });
      } else {
        this.unexpected(sep);
      }
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr["rest"] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t !== "op" || (tok.op !== "&&" && tok.op !== "||")) return { first, rest };
      this.pos++;
      while (this.peek().t === "nl") this.pos++;
      rest.push({ op: tok.op, pipeline: this.pipeline() });
    }
  }

  private pipeline(): Pipeline {
    const cmds = [this.simple()];
    for (;;) {
      const tok = this.peek();
      if (tok.t !== "op" || tok.op !== "|") return cmds;
      this.pos++;
      while (this.peek().t === "nl") this.pos++;
      cmds.push(this.simple());
    }
  }

  private simple(): SimpleCommand {
    const cmd: SimpleCommand = { assigns: [], words: [], redirects: [], line: this.peek().line };
    for (;;) {
      const tok = this.peek();
      if (tok.t === "word") {
        const next = this.toks[this.pos + 1];
        // "2>&1": an all-digit word glued to a redirection operator is its file descriptor.
        if (next && next.t === "op" && REDIRECT_OPS.has(next.op) && /^\d+$/.test(tok.raw) && tok.glued) {
          this.pos++;
          cmd.redirects.push(this.redirect(Number(tok.raw)));
          continue;
        }
        this.pos++;
        const eq = tok.word[0]?.kind === "lit" ? tok.word[0].text.indexOf("=") : -1;
        const first = tok.word[0];
        if (
          cmd.words.length === 0 &&
          eq > 0 &&
          first?.kind === "lit" &&
          NAME.test(first.text.slice(0, eq)) &&
          !tok.raw.startsWith("'") &&
          !tok.raw.startsWith('"')
        ) {
          const value: Word = [{ kind: "lit", text: first.text.slice(eq + 1) }, ...tok.word.slice(1)];
          cmd.assigns.push({ name: first.text.slice(0, eq), value });
        } else {
          cmd.words.push(tok.word);
        }
        continue;
      }
      if (tok.t === "op" && REDIRECT_OPS.has(tok.op)) {
        cmd.redirects.push(this.redirect(tok.op.startsWith("<") ? 0 : 1));
        continue;
      }
      if (tok.t === "op" && tok.op === "<<")
        throw new ShellSyntaxError(tok.line, "here-documents are not supported by this host");
      break;
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) this.unexpected(this.peek());
    return cmd;
  }

  private redirect(fd: number): Redirect {
    const opTok = this.peek();
    if (opTok.t !== "op") this.unexpected(opTok);
    this.pos++;
    const target = this.peek();
    // dash reports a missing redirection target at the end of `sh -c` input as a newline.
    if (target.t === "eof") throw new ShellSyntaxError(target.line, "newline unexpected");
    if (target.t !== "word") this.unexpected(target);
    this.pos++;
    return { fd, op: opTok.op as Redirect["op"], target: target.word };
  }
}
