// `virsh domstate DOM --reason` → "running (booted)", "paused (migrating)", "shut off (migrated)",
// "paused (post-copy)", "running (migration canceled)", "shut off (crashed)".
import { type DomainState, stateFromWord } from "./domain-state";
import { VirshParseError } from "./errors";
import { lines } from "./text";

export type DomStateResult = {
  state: DomainState;
  /** virsh's reason word(s) as printed; null when run without --reason. */
  reason: string | null;
};

const P = "parseDomState";

export function parseDomState(text: string): DomStateResult {
  const ls = lines(text).filter((l) => l !== "");
  if (ls.length !== 1 || !ls[0]) throw new VirshParseError(P, "expected one line", text);
  const m = /^(.+?)(?:\s+\((.+)\))?$/.exec(ls[0].trim());
  const state = m?.[1] ? stateFromWord(m[1]) : null;
  if (!state) throw new VirshParseError(P, "unknown state", ls[0]);
  return { state, reason: m?.[2] ?? null };
}
