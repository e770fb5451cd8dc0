// Every capture in fixtures/ goes through the parser for its command: real virsh 9.0 output must
// never make a parser throw, and every real failure must get a kind other than "unknown".
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Capture, fixtureText, parseCapture } from "@/tests/support/load-fixture";
import { parseAck } from "./parse-ack";
import { parseCapabilities } from "./parse-capabilities";
import { parseDomBlkList } from "./parse-domblklist";
import { parseDomInfo } from "./parse-dominfo";
import { parseDomJobInfo } from "./parse-domjobinfo";
import { parseDomState } from "./parse-domstate";
import { parseDomStats } from "./parse-domstats";
import { parseDumpXml } from "./parse-dumpxml";
import { classifyVirshError } from "./parse-error";
import { parseJobCompletedEvent } from "./parse-job-event";
import {
  parseHmpInfoDirtyRate,
  parseHmpInfoMigrate,
  parseHmpKeyValues,
  parseHmpMigrateCapabilities,
  parseHmpReply,
} from "./parse-hmp";
import { parseList } from "./parse-list";
import { parseMigrateLog } from "./parse-migrate-log";
import { parseMigrateGetMaxDowntime, parseMigrateGetSpeed } from "./parse-migrate-params";
import { parseNodeInfo } from "./parse-nodeinfo";
import { parseNodeMemStats } from "./parse-nodememstats";
import { parseQmpReply, parseQueryDirtyRate, parseQueryMigrate, parseQueryMigrateParameters } from "./parse-qmp";
import { parseVersion } from "./parse-version";

// Command (after "virsh ") → parser of its successful output. First match wins.
const PARSERS: [RegExp, (out: string) => unknown][] = [
  [/^migrate --live|^migrate /, parseMigrateLog],
  [/^migrate-getspeed /, parseMigrateGetSpeed],
  [/^migrate-getmaxdowntime /, parseMigrateGetMaxDowntime],
  [
    /^(migrate-setspeed|migrate-setmaxdowntime|migrate-postcopy|domjobabort|suspend|resume|domdirtyrate-calc) /,
    parseAck,
  ],
  [/^domjobinfo /, parseDomJobInfo],
  [/^domstate /, parseDomState],
  [/^list( |$)/, parseList],
  [/^dominfo /, parseDomInfo],
  [/^domstats( |$)/, parseDomStats],
  [/^domblklist /, parseDomBlkList],
  [/^dumpxml /, parseDumpXml],
  [/^version$/, parseVersion],
  [/^nodeinfo$/, parseNodeInfo],
  [/^nodememstats$/, parseNodeMemStats],
  [/^capabilities$/, parseCapabilities],
  [/--hmp info migrate$/, parseHmpInfoMigrate],
  [/--hmp info migrate_capabilities$/, parseHmpMigrateCapabilities],
  [/--hmp info migrate_parameters$/, parseHmpKeyValues],
  [/--hmp info dirty_rate$/, parseHmpInfoDirtyRate],
  [/--hmp /, parseHmpReply],
  [/query-migrate-parameters/, parseQueryMigrateParameters],
  [/query-migrate\\/, parseQueryMigrate],
  [/query-dirty-rate/, parseQueryDirtyRate],
  [/^qemu-monitor-command /, parseQmpReply],
  [
    /^event --domain (\S+) --event job-completed/,
    (out) => parseJobCompletedEvent(out, /for domain '(.*)':/.exec(out)?.[1] ?? ""),
  ],
];

// Commands Convoy does not run (no parser on purpose).
const NOT_PARSED = /^(hostname|uri|nodecpustats|ttyconsole|dommemstat|domcapabilities|sysinfo|freecell)( |$)/;

const captures: [string, Capture][] = readdirSync(new URL("./fixtures/", import.meta.url))
  .filter((f) => fixtureText(f).startsWith("# host: ") && !f.includes("samples"))
  .map((f) => [f, parseCapture(fixtureText(f))]);

function virshArgs(command: string): string {
  return command.replace(/^(timeout \d+ )?(ssh .* )?virsh (-c \S+ )?/, "");
}

describe("fixture sweep", () => {
  it("finds the captures", () => {
    expect(captures.length).toBeGreaterThan(100);
  });

  it.each(captures.filter(([, c]) => c.exitStatus === 0))("%s parses", (_file, c) => {
    const args = virshArgs(c.command);
    if (NOT_PARSED.test(args)) return;
    const parser = PARSERS.find(([re]) => re.test(args))?.[1];
    expect(parser, `no parser for: ${c.command}`).toBeDefined();
    expect(() => parser?.(c.output)).not.toThrow();
  });

  it.each(captures.filter(([, c]) => c.exitStatus !== 0))("%s is a classified error", (_file, c) => {
    if (/^event /.test(virshArgs(c.command))) {
      expect(c.output).toMatch(/^event loop timed out\nevents received: 0\n/); // a watcher that saw nothing exits 1
      return;
    }
    if (c.exitStatus === 143) {
      expect(c.output.trim()).toBe("Terminated"); // client killed on purpose (s5a/s9)
      return;
    }
    expect(classifyVirshError(c.output).kind).not.toBe("unknown");
  });
});
