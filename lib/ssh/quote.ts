// Pure: no I/O, no "server-only" — lib/virsh/commands.ts (pure) builds lines with it too.
//
// sshd hands every exec request to the user's login shell (sshd(8)), so whatever we send is
// parsed by a shell on the hypervisor. We therefore quote every argv element so that the far
// shell sees exactly those words and nothing else: no expansion, no globbing, no operators.
// POSIX single quotes preserve every byte literally except the single quote itself, which is
// written as '\'' (close, escaped quote, reopen).

/** Characters that are literal in every POSIX shell context we use (argument position). */
const SAFE_BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

// Lone UTF-16 surrogates cannot be encoded as UTF-8: they would silently become U+FFFD on the
// wire, i.e. the far side would receive a different argument than the caller passed.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Words that are special when they are the first word of a command even though they consist of
 * "safe" characters: reserved words (POSIX + bash/ksh extras). Quoting them makes them plain
 * command names.
 */
const RESERVED_WORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "case",
  "esac",
  "while",
  "until",
  "for",
  "in",
  "function",
  "select",
  "time",
  "coproc",
]);

/** POSIX single-quote one argument. Throws on NUL (a C argv cannot carry it; truncation risk). */
export function quoteArg(s: string): string {
  if (typeof s !== "string") {
    throw new TypeError(`quoteArg: expected a string, got ${typeof s}`);
  }
  if (s.includes("\0")) {
    throw new Error("quoteArg: argument contains a NUL byte");
  }
  if (LONE_SURROGATE.test(s)) {
    throw new Error("quoteArg: argument contains an unpaired UTF-16 surrogate");
  }
  if (s === "") return "''";
  if (SAFE_BARE.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Quote argv into one shell command line. The first word gets extra care: a bare `NAME=value`
 * there would be an environment assignment and a reserved word would start a compound command,
 * so those are quoted even though they would be bare elsewhere.
 */
export function commandLine(argv: string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) {
    throw new Error("commandLine: argv must be a non-empty array");
  }
  return argv
    .map((arg, i) => {
      const q = quoteArg(arg);
      if (i === 0 && q === arg && (arg.includes("=") || RESERVED_WORDS.has(arg))) {
        return `'${arg}'`;
      }
      return q;
    })
    .join(" ");
}
