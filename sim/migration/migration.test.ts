// Migration semantics through virsh, in-process with a hand-driven clock: what each libvirtd
// shows before, during and after a job, compared with the real captures where they exist.
import { describe, expect, it } from "vitest";
import { asCaptured, readCapture } from "../test-support/fixtures";
import { InProcessFleet } from "../test-support/in-process";

const V = "virsh -c qemu:///system";
const out = (r: { stdout: string; stderr: string }) => asCaptured(r.stdout, r.stderr);
const noId = (s: string) => s.replace(/"libvirt-\d+"/, '"libvirt-N"');

function setup() {
  return new InProcessFleet("test-small.yaml", { timeScale: 1000 });
}

/** Start a (blocking) line and let it get going; `.done` settles when it ends. */
async function started(f: InProcessFleet, host: string, line: string, hangup?: AbortController) {
  const done = f.start(host, line, hangup);
  await f.advance(0);
  await f.advance(0);
  return { done };
}

describe("a migration seen through virsh", () => {
  it("completes: source keeps a shut-off definition, destination runs it, stats on both sides", async () => {
    const f = setup();
    const mig = await started(f, "hv1", `${V} migrate --live --p2p vm-idle qemu+ssh://hv2/system`);
    expect(out(await f.sh("hv2", `${V} domstate vm-idle --reason`))).toBe(
      readCapture("s1-01-dest-domstate-reason.txt").output,
    );
    expect(out(await f.sh("hv2", `${V} domjobinfo vm-idle`))).toBe(readCapture("s1-01-dest-domjobinfo.txt").output);
    expect((await f.sh("hv2", `${V} list --all`)).stdout).toMatch(/ 2 +vm-idle +paused\n/);
    for (let i = 0; i < 100 && f.state.engine.active().length > 0; i++) await f.advance(500);
    expect(await mig.done).toEqual({ code: 0, stdout: "\n", stderr: "" });
    expect((await f.sh("hv1", `${V} domstate vm-idle --reason`)).stdout).toBe("shut off (migrated)\n\n");
    expect((await f.sh("hv2", `${V} domstate vm-idle --reason`)).stdout).toBe("running (migrated)\n\n");
    expect(out(await f.sh("hv1", `${V} domjobinfo vm-idle`))).toBe(
      readCapture("s3b-domjobinfo-after-completion.txt").output,
    );
    const keep = await f.sh("hv1", `${V} domjobinfo vm-idle --completed --keep-completed`);
    expect(keep.stdout).toMatch(/^Job type: {9}Completed {3}\nOperation: {8}Outgoing migration\n/);
    expect(keep.stdout).toMatch(/\nTotal downtime: {3}\d+ +ms\nDowntime w\/o network: \d+ +ms\n/);
    expect((await f.sh("hv1", `${V} domjobinfo vm-idle --completed`)).stdout).toBe(keep.stdout);
    expect(out(await f.sh("hv1", `${V} domjobinfo vm-idle --completed`))).toBe(
      readCapture("s1-07-source-domjobinfo-completed-again.txt").output,
    );
    expect((await f.sh("hv2", `${V} domjobinfo vm-idle --completed --rawstats`)).stdout).toMatch(
      /^Job type: 3\n\noperation: 4\ntime_elapsed: \d+\n/,
    );
    expect(out(await f.sh("hv2", `${V} resume vm-idle`))).toBe(
      readCapture("s1-08-dest-resume.txt").output.replaceAll("vm-heavy", "vm-idle"),
    );
    expect((await f.sh("hv2", `${V} dominfo vm-idle`)).stdout).toContain("Persistent:     no\n");
  });

  it("shows QEMU's view mid-job and refuses capability changes with QEMU's text", async () => {
    const f = setup();
    await f.sh("hv1", `${V} migrate-setspeed stress-vm 8`);
    void started(f, "hv1", `${V} migrate --live stress-vm qemu+ssh://hv2/system`);
    await f.advance(8000);
    const hmp = (c: string) => f.sh("hv1", `${V} qemu-monitor-command stress-vm --hmp ${c}`);
    expect(out(await hmp("info migrate_capabilities"))).toBe(
      readCapture("s1-01-info-migrate-capabilities-hmp.txt").output,
    );
    expect(out(await hmp("info migrate_parameters"))).toBe(readCapture("s1-01-info-migrate-parameters-hmp.txt").output);
    expect(out(await hmp("migrate_set_capability auto-converge on"))).toBe(
      readCapture("s1-04-hmp-migrate_set_capability-auto-converge-mid-migration.txt").output,
    );
    expect(out(await hmp("migrate_set_parameter cpu-throttle-initial 60"))).toBe("");
    const qmp = (j: string) => f.sh("hv1", `${V} qemu-monitor-command stress-vm '${j}' --pretty`);
    const caps = await qmp(
      '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"auto-converge","state":true}]}}',
    );
    expect(noId(out(caps))).toBe(
      noId(readCapture("s1-04-qmp-migrate-set-capabilities-auto-converge-mid-migration.txt").output),
    );
    await f.sh("hv1", `${V} migrate-setmaxdowntime stress-vm 500`);
    const params = await qmp('{"execute":"query-migrate-parameters"}');
    const want = readCapture("s1-04-query-migrate-parameters-after.txt").output.replace(
      '"cpu-throttle-increment": 20',
      '"cpu-throttle-increment": 10',
    );
    expect(noId(out(params))).toBe(noId(want));
    const q = out(await qmp('{"execute":"query-migrate"}'));
    expect(q).toMatch(
      /^\{\n {2}"return": \{\n {4}"expected-downtime": \d+,\n {4}"status": "active",\n {4}"setup-time": \d+,\n {4}"total-time": \d+,\n {4}"ram": \{\n/,
    );
    expect(out(await f.sh("hv1", `${V} migrate-postcopy stress-vm`))).toBe(
      readCapture("s1-04-migrate-postcopy-without-postcopy-flag.txt").output,
    );
    expect(out(await f.sh("hv1", `${V} migrate-getspeed stress-vm`))).toBe("8");
    expect(out(await f.sh("hv1", `${V} domdirtyrate-calc stress-vm --seconds 1`))).toBe(
      readCapture("s1-02-domdirtyrate-calc-during-migration.txt").output,
    );
    expect(out(await qmp('{"execute":"calc-dirty-rate","arguments":{"calc-time":1}}'))).toMatch(
      /^\{\n {2}"return": \{\n\n {2}\},\n/,
    );
    await f.advance(1500);
    expect(out(await f.sh("hv1", `${V} domstats stress-vm --dirtyrate`))).toMatch(
      /^Domain: 'stress-vm'\n {2}dirtyrate\.calc_status=2\n {2}dirtyrate\.calc_start_time=\d+\n {2}dirtyrate\.calc_period=1\n {2}dirtyrate\.calc_mode=page-sampling\n {2}dirtyrate\.megabytes_per_second=\d+$/,
    );
  });

  it("suspend mid-way: the job completes and libvirt resumes the guest on the destination", async () => {
    const f = setup();
    const mig = await started(f, "hv1", `${V} migrate --live --p2p stress-vm qemu+ssh://hv2/system`);
    await f.advance(20_000);
    expect(f.state.engine.active()).toHaveLength(1);
    expect(out(await f.sh("hv1", `${V} suspend stress-vm`))).toBe(
      readCapture("s1-06-suspend-source.txt").output.replace("vm-heavy", "stress-vm"),
    );
    expect((await f.sh("hv1", `${V} domstate stress-vm --reason`)).stdout).toBe("paused (migrating)\n\n");
    expect(out(await f.sh("hv1", `${V} resume stress-vm`))).toBe(
      readCapture("s7-resume-on-source-during-migration.txt").output.replace("vm-heavy", "stress-vm"),
    );
    for (let i = 0; i < 200 && f.state.engine.active().length > 0; i++) await f.advance(1000);
    expect((await mig.done).code).toBe(0);
    expect((await f.sh("hv2", `${V} domstate stress-vm --reason`)).stdout).toBe("running (migrated)\n\n");
    expect((await f.sh("hv1", `${V} domstate stress-vm --reason`)).stdout).toBe("shut off (migrated)\n\n");
  });

  it("domjobabort of a --p2p migration: virsh prints one of libvirt 9.0's two texts (the p2p link closing, or the job's error), both seen across jobs", async () => {
    const f = setup();
    const texts = new Set([
      readCapture("lab-p2p-abort-virsh-migrate-log.txt").output,
      readCapture("lab-p2p-abort-canceled-virsh-migrate-log.txt").output,
    ]);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const mig = await started(f, "hv1", `${V} migrate --live --p2p stress-vm qemu+ssh://hv2/system`);
      await f.advance(10_000);
      expect(await f.sh("hv1", `${V} domjobabort stress-vm`)).toEqual({ code: 0, stdout: "\n", stderr: "" });
      await f.advance(0);
      const r = await mig.done;
      expect(r.code).toBe(1);
      const text = r.stderr.replace(/\n$/, "");
      expect(texts).toContain(text);
      seen.add(text);
      expect(out(await f.sh("hv1", `${V} domstate stress-vm`))).toBe("running");
    }
    expect(seen.size).toBe(2);
  });

  it("domjobabort: virsh migrate fails with libvirt's text, the guest keeps running on the source", async () => {
    const f = setup();
    const mig = await started(f, "hv1", `${V} migrate --live stress-vm qemu+ssh://hv2/system`);
    await f.advance(10_000);
    expect(await f.sh("hv1", `${V} domjobabort stress-vm`)).toEqual({ code: 0, stdout: "\n", stderr: "" });
    await f.advance(0);
    expect(await mig.done).toEqual({
      code: 1,
      stdout: "\n",
      stderr: "error: operation aborted: job 'migration out' canceled by client\n",
    });
    expect(out(await f.sh("hv1", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s2a-domstate-after-abort.txt").output,
    );
    expect(out(await f.sh("hv1", `${V} domjobinfo stress-vm --completed`))).toBe(
      readCapture("s2a-domjobinfo-completed-after-abort.txt").output,
    );
    expect((await f.sh("hv2", `${V} list --all --name`)).stdout).toBe("vm-db\nvm-off\n\n");
  });

  it("a failed or aborted migration leaves the previous completed-job record in place (libvirt replaces it only on success)", async () => {
    const f = setup();
    const there = await started(f, "hv1", `${V} migrate --live --p2p vm-idle qemu+ssh://hv2/system`);
    for (let i = 0; i < 100 && f.state.engine.active().length > 0; i++) await f.advance(500);
    expect((await there.done).code).toBe(0);
    const back = await started(f, "hv2", `${V} migrate --live --p2p vm-idle qemu+ssh://hv1/system --undefinesource`);
    for (let i = 0; i < 100 && f.state.engine.active().length > 0; i++) await f.advance(500);
    expect((await back.done).code).toBe(0);
    const incoming = (await f.sh("hv1", `${V} domjobinfo vm-idle --completed --keep-completed`)).stdout;
    expect(incoming).toMatch(/^Job type: {9}Completed {3}\nOperation: {8}Incoming migration\n/);
    // Out again, aborted: the record read afterwards is still the earlier incoming one.
    const out2 = await started(f, "hv1", `${V} migrate --live --p2p vm-idle qemu+ssh://hv2/system --bandwidth 1`);
    await f.advance(1000);
    await f.sh("hv1", `${V} domjobabort vm-idle`);
    await f.advance(0);
    expect((await out2.done).code).toBe(1);
    expect((await f.sh("hv1", `${V} domjobinfo vm-idle --completed --keep-completed`)).stdout).toBe(incoming);
    // Read without --keep-completed it is gone.
    await f.sh("hv1", `${V} domjobinfo vm-idle --completed`);
    expect(out(await f.sh("hv1", `${V} domjobinfo vm-idle --completed`))).toBe(
      readCapture("s1-07-source-domjobinfo-completed-again.txt").output,
    );
  });

  it("abort after suspend resumes the source with reason 'migration canceled'", async () => {
    const f = setup();
    const mig = await started(f, "hv1", `${V} migrate --live stress-vm qemu+ssh://hv2/system --bandwidth 8`);
    await f.advance(3000);
    await f.sh("hv1", `${V} suspend stress-vm`);
    await f.sh("hv1", `${V} domjobabort stress-vm`);
    expect((await mig.done).code).toBe(1);
    expect(out(await f.sh("hv1", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s7-domstate-after-abort.txt").output,
    );
  });

  it("post-copy: phases on both hosts, abort refused, no completed stats on the destination", async () => {
    const f = setup();
    const mig = await started(
      f,
      "hv1",
      `${V} migrate --live --postcopy stress-vm qemu+ssh://hv2/system --bandwidth 64 --postcopy-bandwidth 64`,
    );
    await f.advance(5000);
    expect(await f.sh("hv1", `${V} migrate-postcopy stress-vm`)).toEqual({ code: 0, stdout: "\n", stderr: "" });
    await f.advance(1000);
    expect(out(await f.sh("hv1", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s8-source-domstate-postcopy-phase.txt").output,
    );
    expect(out(await f.sh("hv2", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s8-dest-domstate-postcopy-phase.txt").output,
    );
    expect(out(await f.sh("hv1", `${V} domjobabort stress-vm`))).toBe(
      readCapture("s8-domjobabort-postcopy-phase.txt").output,
    );
    expect(
      out(await f.sh("hv1", `${V} qemu-monitor-command stress-vm '{"execute":"query-migrate"}' --pretty`)),
    ).toContain('"status": "postcopy-active"');
    await f.sh("hv1", `${V} migrate-setspeed stress-vm 100000`);
    for (let i = 0; i < 600 && f.state.engine.active().length > 0; i++) await f.advance(1000);
    expect((await mig.done).code).toBe(0);
    expect((await f.sh("hv2", `${V} domstate stress-vm --reason`)).stdout).toBe("running (migrated)\n\n");
    expect(out(await f.sh("hv2", `${V} domjobinfo stress-vm --completed`))).toBe(
      readCapture("s3a-dest-domjobinfo-completed.txt").output,
    );
    expect((await f.sh("hv1", `${V} domjobinfo stress-vm --completed`)).stdout).toMatch(
      /Postcopy requests: [1-9]\d* *\n/,
    );
  });

  it("a client-driven migration dies with its SSH channel; a --p2p one does not (as on real libvirt)", async () => {
    const f = setup();
    const h1 = new AbortController();
    const plain = await started(f, "hv1", `${V} migrate --live stress-vm qemu+ssh://hv2/system`, h1);
    const h2 = new AbortController();
    const p2p = await started(f, "hv1", `${V} migrate --live --p2p vm-web qemu+ssh://hv2/system --bandwidth 1`, h2);
    await f.advance(2000);
    h1.abort();
    h2.abort();
    expect((await plain.done).code).toBe(143);
    expect((await p2p.done).code).toBe(143);
    expect(out(await f.sh("hv1", `${V} domjobinfo stress-vm`))).toBe(
      readCapture("s9-source-domjobinfo-after-client-killed.txt").output,
    );
    expect(out(await f.sh("hv1", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s9-source-domstate-after-client-killed.txt").output,
    );
    expect((await f.sh("hv1", `${V} domjobinfo vm-web`)).stdout).toMatch(/^Job type: {9}Unbounded {3}\n/);
  });

  it("--persistent --undefinesource moves the definition", async () => {
    const f = setup();
    const mig = await started(
      f,
      "hv1",
      `${V} migrate --live --persistent --undefinesource vm-idle qemu+ssh://hv2/system`,
    );
    for (let i = 0; i < 50 && f.state.engine.active().length > 0; i++) await f.advance(500);
    expect((await mig.done).code).toBe(0);
    expect((await f.sh("hv1", `${V} dominfo vm-idle`)).stderr).toBe("error: failed to get domain 'vm-idle'\n");
    expect((await f.sh("hv2", `${V} dominfo vm-idle`)).stdout).toContain("Persistent:     yes\n");
  });

  it("--timeout --timeout-suspend pauses the source when the timeout expires", async () => {
    const f = setup();
    const mig = await started(
      f,
      "hv1",
      `${V} migrate --live --timeout 15 --timeout-suspend stress-vm qemu+ssh://hv2/system`,
    );
    await f.advance(16_000);
    expect(out(await f.sh("hv1", `${V} domstate stress-vm --reason`))).toBe(
      readCapture("s3c-source-domstate-after-timeout.txt").output,
    );
    for (let i = 0; i < 200 && f.state.engine.active().length > 0; i++) await f.advance(1000);
    expect((await mig.done).code).toBe(0);
  });

  it("dirty-rate measurement outside migrations", async () => {
    const f = setup();
    expect(out(await f.sh("hv1", `${V} domstats vm-web --dirtyrate`))).toBe(
      readCapture("s4-dirtyrate-domstats-before.txt").output.replace("vm-heavy", "vm-web"),
    );
    expect(out(await f.sh("hv1", `${V} domdirtyrate-calc vm-web --seconds 1`))).toBe(
      readCapture("s4-dirtyrate-virsh-calc.txt").output,
    );
    expect((await f.sh("hv1", `${V} domstats vm-web --dirtyrate`)).stdout).toMatch(
      /calc_status=1\n {2}dirtyrate\.calc_start_time=\d+\n {2}dirtyrate\.calc_period=1\n {2}dirtyrate\.calc_mode=page-sampling\n\n\n$/,
    );
    await f.advance(1200);
    const m = /megabytes_per_second=(\d+)/.exec((await f.sh("hv1", `${V} domstats vm-web --dirtyrate`)).stdout);
    expect(Number(m?.[1])).toBeGreaterThan(5);
    expect(out(await f.sh("hv1", `${V} domdirtyrate-calc vm-web --mode dirty-ring`))).toBe(
      readCapture("s4-dirtyrate-virsh-calc-mode-dirty-ring.txt").output,
    );
    const hmp = out(await f.sh("hv1", `${V} qemu-monitor-command vm-web --hmp info dirty_rate`));
    expect(hmp).toMatch(
      /^Status: measured\r\nStart Time: \d+ \(ms\)\r\nSample Pages: 512 \(per GB\)\r\nPeriod: 1 \(sec\)\r\nMode: page-sampling\r\nDirty rate: \d+ \(MB\/s\)\r$/,
    );
  });
});
