// Outputs of commands that only acknowledge: migrate-setspeed, migrate-setmaxdowntime,
// migrate-postcopy and domjobabort print an empty line; suspend/resume and domdirtyrate-calc print
// one fixed sentence. Checking them catches a wrapper or shell printing something unexpected.
import { VirshParseError } from "./errors";
import { lines } from "./text";

export type Ack =
  | { kind: "empty" }
  | { kind: "suspended"; domain: string }
  | { kind: "resumed"; domain: string }
  | { kind: "dirty-rate-started" };

export function parseAck(text: string): Ack {
  const ls = lines(text).filter((l) => l !== "");
  if (ls.length === 0) return { kind: "empty" };
  const line = ls[0] ?? "";
  if (ls.length === 1) {
    const m = /^Domain '(.*)' (suspended|resumed)$/.exec(line);
    if (m?.[2]) return { kind: m[2] === "suspended" ? "suspended" : "resumed", domain: m[1] ?? "" };
    if (line === "Start to calculate domain's memory dirty rate successfully.") return { kind: "dirty-rate-started" };
  }
  throw new VirshParseError("parseAck", "unexpected acknowledgement", text);
}
