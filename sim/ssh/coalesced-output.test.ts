// The simulated sshd sends a command's output in as few SSH messages as it can (host-server.ts,
// coalescedWriter) without changing a byte: what the client receives is exactly what the shell
// printed, run in-process on the same host.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchLine } from "@/lib/virsh/batch";
import { capabilities, dumpXml, domState, listAll, nodeInfo, virshVersion } from "@/lib/virsh/commands";
import { type RunningFleet, startFleet } from "../fleet";
import { loadFleetFile } from "../fleet-file";
import { KERNEL_RELEASE } from "../model/host";
import { runShellLine } from "../shell";
import { SshTestClient } from "../test-support/ssh";
import { virshProgram } from "../virsh/cli";

const URI = "qemu:///system";
const BATCH = batchLine(
  [
    virshVersion(URI),
    nodeInfo(URI),
    capabilities(URI),
    listAll(URI),
    dumpXml(URI, "vm-idle"),
    domState(URI, "vm-idle"),
  ],
  `convoy-end-${"0f".repeat(16)}`,
);
// stdout and stderr both, from commands that succeed and fail.
const MIXED =
  "virsh version; virsh nosuchcommand; virsh -c qemu:///system list --all; virsh dumpxml no-such-vm; echo done";

let fleet: RunningFleet;
let ssh: SshTestClient;

beforeAll(async () => {
  fleet = await startFleet(loadFleetFile("sim/fleets/test-small.yaml"), {
    keyDir: mkdtempSync(path.join(tmpdir(), "convoy-coalesce-")),
    basePort: 0,
    timeScale: 1,
    controlPort: null,
  });
  ssh = await SshTestClient.connect(fleet, "hv1");
}, 60_000);

afterAll(async () => {
  ssh?.close();
  await fleet?.stop();
});

async function inProcess(line: string) {
  const host = fleet.state.host("hv1");
  if (!host) throw new Error("no hv1");
  let stdout = "";
  let stderr = "";
  const never = new AbortController().signal;
  const code = await runShellLine(
    {
      hostname: host.name,
      kernelRelease: KERNEL_RELEASE,
      fs: host.fs,
      procs: host.procs,
      programs: { virsh: virshProgram(fleet.state, host) },
    },
    line,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), hangup: never, term: never },
  );
  return { code, stdout, stderr };
}

describe("the simulated sshd's output", () => {
  it.each([
    ["an inventory batch", BATCH],
    ["stdout and stderr", MIXED],
  ])("is byte for byte what the shell printed: %s", async (_, line) => {
    const { code, stdout, stderr } = await ssh.exec(line);
    expect({ code, stdout, stderr }).toEqual(await inProcess(line));
  });

  it("arrives in one SSH message per stream for a batch that fits in one", async () => {
    let messages = 0;
    const r = await ssh.exec(BATCH, () => messages++);
    expect(r.stdout.length).toBeLessThan(32_000); // ssh2's largest packet payload is 32 KiB
    expect(messages).toBe(1); // was 18: one per write of each command
  });
});
