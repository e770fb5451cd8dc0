// `virsh list --all`: id (null when shut off, printed "-"), name, state.
import { STATE_WORDS, type DomainState, stateFromWord } from "./domain-state";
import { VirshParseError } from "./errors";
import { lines, parseUInt } from "./text";

export type ListedDomain = { id: number | null; name: string; state: DomainState };

const P = "parseList";
// Names may contain spaces, so the row is anchored on the id at the start and on one of virsh's
// fixed state words at the end, rather than on column offsets.
const ROW = new RegExp(`^\\s*(\\d+|-)\\s+(.+?)\\s+(${STATE_WORDS.join("|")})$`);

export function parseList(text: string): ListedDomain[] {
  const ls = lines(text);
  const [header, rule, ...rows] = ls;
  if (!header || !/^\s*Id\s+Name\s+State$/.test(header) || !rule || !/^-+$/.test(rule)) {
    throw new VirshParseError(P, "missing 'Id Name State' header", text);
  }
  return rows
    .filter((r) => r.trim() !== "")
    .map((row) => {
      const m = ROW.exec(row);
      const state = m?.[3] ? stateFromWord(m[3]) : null;
      if (!m?.[1] || !m[2] || !state) throw new VirshParseError(P, "unrecognised row", row);
      return { id: m[1] === "-" ? null : parseUInt(m[1], P, row), name: m[2], state };
    });
}
