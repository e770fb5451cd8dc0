// virsh's option parsing, error texts and inventory output, run in-process (no sockets).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFleet } from "../fleet-file";
import { SimHost } from "../model/host";
import { GUEST_CAPABILITIES } from "./capabilities-guests";
import { capabilitiesXml } from "./capabilities-xml";
import { asCaptured, readCapture } from "../test-support/fixtures";
import { InProcessFleet } from "../test-support/in-process";

const V = "virsh -c qemu:///system";

function fleet() {
  return new InProcessFleet("test-small.yaml", { timeScale: 1000 });
}

describe("virsh option parsing and errors", () => {
  it.each([
    [`${V} nosuchcommand`, "error: unknown command: 'nosuchcommand'\n", ""],
    [`${V} dominfo vm-idle --bogus`, "error: command 'dominfo' doesn't support option --bogus\n", ""],
    [`${V} dominfo`, "error: command 'dominfo' requires <domain> option\n", ""],
    [`${V} hostname extra`, "error: unexpected data 'extra'\n", ""],
    [
      `${V} domjobinfo vm-idle --keep-completed`,
      "error: Option --completed is required by option --keep-completed\n",
      "\n",
    ],
    [
      `${V} migrate-setspeed vm-idle abc`,
      "error: Numeric value 'abc' for <bandwidth> option is malformed or out of range\n",
      "\n",
    ],
    [
      `${V} qemu-monitor-command vm-idle --hmp --pretty info migrate`,
      "error: Options --hmp and --pretty are mutually exclusive\n",
      "\n",
    ],
    [`${V} migrate --live vm-idle`, "error: command 'migrate' requires <desturi> option\n", ""],
    [`${V} migrate --bandwidth`, "error: expected syntax: --bandwidth <number>\n", ""],
    [`${V} dominfo nosuchvm`, "error: failed to get domain 'nosuchvm'\n", "\n"],
  ])("%s", async (line, stderr, stdout) => {
    const r = await fleet().sh("hv1", line);
    expect(r).toEqual({ code: 1, stdout, stderr });
  });

  it("reports connection failures before running anything", async () => {
    const f = fleet();
    expect(await f.sh("hv1", "virsh -c qemu+ssh://nohost/system list --all")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "error: failed to connect to the hypervisor\nerror: Cannot recv data: ssh: Could not resolve hostname nohost: Name or service not known: Connection reset by peer\n",
    });
    expect((await f.sh("hv1", "virsh -c qemu:///sytem list")).stderr).toBe(
      "error: failed to connect to the hypervisor\nerror: internal error: unexpected qemu URI path '/sytem', try qemu:///system\n",
    );
  });

  it("reaches other hosts' libvirtd through qemu+ssh URIs", async () => {
    expect((await fleet().sh("hv1", "virsh -c qemu+ssh://hv2/system hostname")).stdout).toBe("hv2\n\n");
  });

  it("prints the trailing empty line unless -q, and takes one command string", async () => {
    const f = fleet();
    expect((await f.sh("hv1", "virsh -q hostname")).stdout).toBe("hv1\n");
    expect((await f.sh("hv1", "virsh 'hostname; uri'")).stdout).toBe("hv1\n\nqemu:///system\n\n");
    expect((await f.sh("hv1", "virsh --version")).stdout).toBe("9.0.0\n");
  });

  it("refuses changes on a read-only connection", async () => {
    expect((await fleet().sh("hv1", "virsh -r suspend vm-idle")).stderr).toBe(
      "error: operation forbidden: read only access prevents virDomainSuspend\n",
    );
  });
});

describe("inventory output", () => {
  it("list --all orders running domains by id, then inactive ones by name", async () => {
    const r = await fleet().sh("hv2", `${V} list --all`);
    expect(r.stdout).toBe(
      " Id   Name     State\n-------------------------\n 1    vm-db    running\n -    vm-off   shut off\n\n",
    );
    expect((await fleet().sh("hv2", `${V} list --all --name`)).stdout).toBe("vm-db\nvm-off\n\n");
  });

  it("dominfo of a shut-off domain has no id and no CPU time", async () => {
    const r = await fleet().sh("hv2", `${V} dominfo vm-off`);
    expect(r.stdout.split("\n").slice(0, 7)).toEqual([
      "Id:             -",
      "Name:           vm-off",
      expect.stringMatching(/^UUID: {11}[0-9a-f-]{36}$/),
      "OS Type:        hvm",
      "State:          shut off",
      "CPU(s):         1",
      "Max memory:     1048576 KiB",
    ]);
  });

  it("domstats has the captured key layout", async () => {
    const f = fleet();
    await f.advance(5000);
    const ours = (await f.sh("hv1", `${V} domstats vm-idle`)).stdout;
    const real = readCapture("inventory-hv1-domstats-list-active.txt").output;
    const keys = (s: string) => s.split("\n").map((l) => l.replace(/=.*$/, "").replace(/'.*'/, "'x'"));
    expect(keys(ours.replace(/\n+$/, ""))).toEqual(keys(real));
    expect(ours.endsWith("\n\n\n")).toBe(true);
  });

  it("domstats DOM --state --cpu-total --vcpu (Convoy's guest probe) has the captured key layout", async () => {
    const f = fleet();
    await f.advance(5000);
    const ours = (await f.sh("hv1", `${V} domstats vm-idle --state --cpu-total --vcpu`)).stdout;
    const real = readCapture("s14-guest-probe-01-dest-domstats-state-cpu-total-vcpu.txt").output;
    const keys = (s: string) => s.split("\n").map((l) => l.replace(/=.*$/, "").replace(/'.*'/, "'x'"));
    expect(keys(ours.replace(/\n+$/, ""))).toEqual(keys(real));
  });

  it("capabilities carry the host CPU model, topology and the captured guest part", async () => {
    const out = (await fleet().sh("hv1", `${V} capabilities`)).stdout;
    expect(out).toContain("      <model>Skylake-Server-IBRS</model>\n      <vendor>Intel</vendor>\n");
    expect(out).toContain("<topology sockets='2' dies='1' cores='8' threads='1'/>");
    expect(out).toContain(`\n\n${GUEST_CAPABILITIES}\n</capabilities>\n`);
    expect(out.startsWith("<capabilities>\n\n  <host>\n    <uuid>")).toBe(true);
  });

  it("capabilities XML has the captured element layout", () => {
    const spec = parseFleet({ hosts: [{ name: "hv1", cpuModel: "EPYC-Rome", cores: 2, memoryGiB: 8, nicGbps: 10 }] });
    const ours = capabilitiesXml(new SimHost(spec.hosts[0] as (typeof spec.hosts)[number], 0, 1));
    const real = readCapture("inventory-hv1-capabilities.txt").output;
    // Element names line by line, runs of the same element (features, cpus) collapsed.
    const shape = (xml: string) =>
      xml
        .split("\n")
        .map((l) => /^\s*<\/?[\w-]+/.exec(l)?.[0] ?? l)
        .filter((l, i, a) => l !== a[i - 1]);
    expect(shape(ours.replace(/\n+$/, ""))).toEqual(shape(real));
    expect(real).toContain(GUEST_CAPABILITIES);
  });

  it("domstate --reason, domblklist --details, nodememstats", async () => {
    const f = fleet();
    expect((await f.sh("hv2", `${V} domstate vm-off --reason`)).stdout).toBe("shut off (shutdown)\n\n");
    expect((await f.sh("hv1", `${V} domblklist vm-local --details`)).stdout).toBe(
      ` Type   Device   Target   Source\n${"-".repeat(70)}\n file   disk     vda      /var/lib/libvirt/images/vm-local-vda.qcow2\n\n`,
    );
    const mem = (await f.sh("hv1", `${V} nodememstats`)).stdout.split("\n");
    expect(mem[0]).toBe("total  :            134217728 KiB");
    expect(mem[1]).toMatch(/^free {3}: +\d+ KiB$/);
  });

  it("defaults of the migration tunables", async () => {
    const f = fleet();
    expect(asCaptured((await f.sh("hv1", `${V} migrate-getspeed vm-idle`)).stdout)).toBe(
      readCapture("s4-default-getspeed-vm-idle.txt").output,
    );
    expect((await f.sh("hv1", `${V} migrate-getmaxdowntime vm-idle`)).stdout).toBe("300\n\n");
    expect((await f.sh("hv1", `${V} migrate-setmaxdowntime vm-idle 400`)).code).toBe(0);
    expect((await f.sh("hv1", `${V} migrate-getmaxdowntime vm-idle`)).stdout).toBe("400\n\n");
    expect((await f.sh("hv1", `${V} domjobinfo vm-idle`)).stdout).toBe("Job type:         None        \n\n");
  });

  it("QMP and HMP without a migration look like the captures", async () => {
    const f = fleet();
    const qmp = await f.sh("hv1", `${V} qemu-monitor-command vm-idle '{"execute":"query-migrate"}' --pretty`);
    expect(asCaptured(qmp.stdout).replace(/libvirt-\d+/, "libvirt-417")).toBe(
      readCapture("s4-err-query-migrate-no-job.txt").output,
    );
    const hmp = await f.sh("hv1", `${V} qemu-monitor-command vm-idle --hmp info migrate`);
    expect(asCaptured(hmp.stdout)).toBe(readCapture("s4-err-hmp-info-migrate-no-job.txt").output);
    expect(hmp.stdout.endsWith("clear-bitmap-shift: 18\r\n\n\n")).toBe(true);
    const set = await f.sh("hv1", `${V} qemu-monitor-command vm-idle --hmp migrate_set_capability auto-converge on`);
    expect(set).toEqual({ code: 0, stdout: "\n\n", stderr: "" });
    expect((await f.sh("hv1", `${V} dominfo vm-idle`)).stdout).toContain("Messages:       tainted: custom-monitor\n");
    const bad = await f.sh("hv1", `${V} qemu-monitor-command vm-idle '{"execute":"nosuch"}'`);
    expect(bad.stdout).toMatch(
      /^\{"id":"libvirt-\d+","error":\{"class":"CommandNotFound","desc":"The command nosuch has not been found"\}\}\n\n$/,
    );
  });

  it.each([
    ["migrate --live nosuchvm qemu+ssh://hv2/system", "failed to get domain 'nosuchvm'"],
    [
      "migrate --live vm-idle qemu+ssh://hv9/system",
      "Cannot recv data: ssh: Could not resolve hostname hv9: Name or service not known: Connection reset by peer",
    ],
    [
      "migrate --live vm-idle qemu+ssh://hv2/sytem",
      "internal error: unexpected qemu URI path '/sytem', try qemu:///system",
    ],
    [
      "migrate --live --p2p vm-idle qemu+ssh://hv9/system",
      "operation failed: Failed to connect to remote libvirt URI qemu+ssh://hv9/system: Cannot recv data: ssh: Could not resolve hostname hv9: Name or service not known: Connection reset by peer",
    ],
    ["migrate --live vm-idle qemu+ssh://hv1/system", "internal error: Attempt to migrate guest to the same host"],
    ["migrate --live vm-local qemu+ssh://hv2/system", "Unsafe migration: Migration without shared storage is unsafe"],
    [
      "migrate --live vm-idle qemu+ssh://hv3/system",
      "the CPU is incompatible with host CPU: Host CPU does not provide required features: ",
    ],
    ["domjobabort vm-idle", "Requested operation is not valid: no job is active on the domain"],
    [
      "migrate-postcopy vm-idle",
      "Requested operation is not valid: post-copy can only be started while outgoing migration is in progress",
    ],
  ])("virsh %s", async (cmd, text) => {
    const r = await fleet().sh("hv1", `${V} ${cmd}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("\n");
    expect(r.stderr.startsWith(`error: ${text}`)).toBe(true);
  });

  it("refuses to migrate a shut-off domain and a migration to a refusing sshd", async () => {
    const f = fleet();
    expect((await f.sh("hv2", `${V} migrate --live vm-off qemu+ssh://hv1/system`)).stderr).toBe(
      "error: Requested operation is not valid: domain is not running\n",
    );
    const hv2 = f.state.host("hv2");
    if (hv2) hv2.faults.sshRefused = true;
    expect((await f.sh("hv1", `${V} migrate --live vm-idle qemu+ssh://hv2/system`)).stderr).toBe(
      "error: Cannot recv data: ssh: connect to host hv2 port 2201: Connection refused: Connection reset by peer\n",
    );
  });
});

describe("virsh event --event job-completed", () => {
  it("a watcher that sees no event prints what real virsh 9.0 printed and exits 1 (capture s15-event-timeout)", async () => {
    const real = readFileSync(new URL("../../lib/virsh/fixtures/s15-event-timeout.txt", import.meta.url), "utf8");
    const output = real
      .split("\n")
      .slice(2)
      .join("\n")
      .replace(/# exit status: 1\n$/, "");
    const r = await fleet().sh("hv1", `${V} event --domain vm-idle --event job-completed --timestamp --timeout 1`);
    expect(r).toEqual({ code: 1, stdout: output, stderr: "" });
  });
});
