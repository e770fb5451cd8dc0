import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeSshError, SshError } from "./errors";
import { getSshPool, SshPool, type SshPoolOptions, type SshTarget } from "./pool";
import { commandLine } from "./quote";
import {
  closedPort,
  defaultBehavior,
  generateKeyPair,
  type KeyPair,
  startSilentTcpServer,
  startTcpProxy,
  startTestSshServer,
  type TestSshServer,
} from "@/tests/support/ssh-test-server";

// Short timeouts everywhere: the suite must stay fast and prove nothing waits for defaults.
const FAST: SshPoolOptions = {
  readyTimeoutMs: 1_000,
  defaultTimeoutMs: 3_000,
  keepaliveIntervalMs: 1_000,
  wedgeGraceMs: 300,
};

let clientKey: KeyPair;
let server: TestSshServer;
const pools: SshPool[] = [];

function newPool(opts: SshPoolOptions = {}): SshPool {
  const p = new SshPool({ ...FAST, ...opts });
  pools.push(p);
  return p;
}

function targetFor(s: { port: number; fingerprint?: string }, over: Partial<SshTarget> = {}): SshTarget {
  return {
    hostId: "h1",
    name: "hv01",
    address: "127.0.0.1",
    port: s.port,
    username: "convoy",
    privateKey: clientKey.privateKey,
    pinnedFingerprint: s.fingerprint ?? server.fingerprint,
    ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<SshError> {
  const e = await p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SshError);
  return e as SshError;
}

beforeAll(async () => {
  clientKey = generateKeyPair();
  server = await startTestSshServer({ clientPublicKey: clientKey.publicKey });
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.closeAll(100)));
});
afterAll(() => server.close());

describe("SshPool against a real SSH server", () => {
  it("runs a command and the far side receives exactly the quoted line", async () => {
    const pool = newPool();
    const argv = ["virsh", "-c", "qemu:///system", "dominfo", "vm 1; rm -rf / $(id) `x` 'q'"];
    const r = await pool.exec(targetFor(server), argv);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${commandLine(argv)}\n`);
    expect(server.execs.at(-1)).toBe(commandLine(argv));
    expect(r.stderr).toBe("");
  });

  it("execRaw sends the line untouched and stdin is delivered", async () => {
    const pool = newPool();
    const line = "setsid nohup virsh -c 'qemu:///system' migrate vm1 > /tmp/l 2>&1 < /dev/null & echo $!";
    expect((await pool.execRaw(targetFor(server), line)).stdout).toBe(`${line}\n`);
    const r = await pool.exec(targetFor(server), ["cat"], { stdin: "héllo\nworld" });
    expect(r.stdout).toBe("héllo\nworld");
  });

  it("reuses one TCP connection for sequential and parallel execs", async () => {
    const pool = newPool();
    const before = server.connections;
    for (let i = 0; i < 5; i++) await pool.exec(targetFor(server), ["echo", String(i)]);
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.exec(targetFor(server), ["echo", `p${i}`])));
    expect(rs.map((r) => r.stdout)).toEqual(rs.map((_, i) => `echo p${i}\n`));
    expect(server.connections - before).toBe(1);
    expect(pool.stats()).toMatchObject({ connections: 1, connectionsOpened: 1, execs: 11 });
  });

  it("queues beyond 8 concurrent channels instead of hitting MaxSessions", async () => {
    const pool = newPool();
    server.maxConcurrentSessions = 0;
    const refusedBefore = server.refusedSessions;
    const rs = await Promise.all(
      Array.from({ length: 25 }, (_, i) => pool.exec(targetFor(server), ["sleep", "60", `#${i}`])),
    );
    expect(rs).toHaveLength(25);
    expect(server.maxConcurrentSessions).toBe(8);
    expect(server.refusedSessions).toBe(refusedBefore);
    expect(pool.stats().connectionsOpened).toBe(1);
  });

  it("times out a hung command, closes its channel and keeps the connection", async () => {
    const pool = newPool();
    const t = targetFor(server);
    await pool.exec(t, ["echo", "warm"]);
    const abandoned = server.abandonedByClient;
    const t0 = Date.now();
    const e = await rejection(pool.exec(t, ["hang"], { timeoutMs: 200 }));
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(e.kind).toBe("timeout");
    expect(e.message).toBe('hv01: ssh timeout after 200 ms running "hang"');
    await expect.poll(() => server.abandonedByClient).toBe(abandoned + 1);
    expect(server.signalsReceived).toContain("TERM");
    expect((await pool.exec(t, ["echo", "after"])).stdout).toBe("echo after\n");
    expect(pool.stats()).toMatchObject({ connectionsOpened: 1, inFlight: 0 });
    expect(pool.stats().errorsByKind.timeout).toBe(1);
  });

  it("honours AbortSignal", async () => {
    const pool = newPool();
    const ac = new AbortController();
    const p = pool.exec(targetFor(server), ["hang"], { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("operator cancelled")), 100);
    await expect(p).rejects.toThrow("operator cancelled");
    const pre = new AbortController();
    pre.abort();
    await expect(pool.exec(targetFor(server), ["echo"], { signal: pre.signal })).rejects.toThrow();
  });

  it("reports non-zero exit as kind exit, or returns it with allowNonZero", async () => {
    const pool = newPool();
    const e = await rejection(pool.exec(targetFor(server), ["fail", "3"]));
    expect(e).toMatchObject({ kind: "exit", exitCode: 3, host: "hv01", command: "fail 3" });
    expect(e.stderr).toContain("Domain not found");
    expect(e.message).toBe(`hv01: "fail 3" exited with status 3: error: failed to get domain 'vm1'`);
    const r = await pool.exec(targetFor(server), ["fail", "2"], { allowNonZero: true });
    expect(r).toMatchObject({ exitCode: 2, stdout: "partial\n" });
    const k = await rejection(pool.exec(targetFor(server), ["kill"], { allowNonZero: true }));
    expect(k).toMatchObject({ kind: "exit", exitCode: null, signal: "SIGKILL" });
  });

  it("stops a command whose output passes the cap, with a clear error, and keeps the connection", async () => {
    const pool = newPool({ maxOutputBytes: 64 * 1024 });
    server.behavior = (command) =>
      command === "flood" ? { type: "exit", code: 0, stdout: "x".repeat(1_048_576) } : defaultBehavior(command);
    try {
      const e = await rejection(pool.exec(targetFor(server), ["flood"]));
      expect(e).toMatchObject({ kind: "exit", exitCode: null });
      expect(e.message).toContain("output larger than 0.06 MiB");
      expect(describeSshError(e)).toBe("hv01: output larger than 0.06 MiB: refused and stopped");
      expect((await pool.exec(targetFor(server), ["echo", "ok"])).stdout).toBe("echo ok\n");
      expect(pool.stats().connectionsOpened).toBe(1);
    } finally {
      server.behavior = defaultBehavior;
    }
  });

  it("refuses a host whose key does not match the pin, before any auth attempt", async () => {
    const pool = newPool();
    const impostor = await startTestSshServer({ clientPublicKey: clientKey.publicKey });
    try {
      const e = await rejection(pool.exec(targetFor(impostor, { pinnedFingerprint: server.fingerprint }), ["echo"]));
      expect(e.kind).toBe("host-key");
      expect(e.expectedFingerprint).toBe(server.fingerprint);
      expect(e.actualFingerprint).toBe(impostor.fingerprint);
      expect(impostor.connections).toBe(1);
      expect(impostor.authAttempts).toBe(0);
      expect(impostor.execs).toEqual([]);
      // An empty pin is never "trust on first use".
      const e2 = await rejection(pool.exec(targetFor(impostor, { hostId: "h2", pinnedFingerprint: "" }), ["echo"]));
      expect(e2.kind).toBe("host-key");
      expect(impostor.authAttempts).toBe(0);
    } finally {
      await impostor.close();
    }
  });

  it("maps a rejected client key to kind auth", async () => {
    const pool = newPool();
    const e = await rejection(pool.exec(targetFor(server, { privateKey: generateKeyPair().privateKey }), ["echo"]));
    expect(e.kind).toBe("auth");
    expect(e.username).toBe("convoy");
    const bad = await rejection(pool.exec(targetFor(server, { privateKey: "not a key" }), ["echo"]));
    expect(bad.kind).toBe("auth");
    expect(JSON.stringify(bad)).not.toContain("not a key");
  });

  it("maps a closed port to kind unreachable", async () => {
    const pool = newPool();
    const e = await rejection(pool.exec(targetFor({ port: await closedPort() }), ["echo"]));
    expect(e).toMatchObject({ kind: "unreachable", code: "ECONNREFUSED" });
  });

  it("gives up on a peer that accepts TCP but never speaks SSH within readyTimeout", async () => {
    const pool = newPool({ readyTimeoutMs: 400 });
    const silent = await startSilentTcpServer();
    try {
      const t0 = Date.now();
      const e = await rejection(pool.exec(targetFor({ port: silent.port }), ["echo"], { timeoutMs: 5_000 }));
      expect(["unreachable", "timeout"]).toContain(e.kind);
      expect(Date.now() - t0).toBeLessThan(1_500);
    } finally {
      await silent.close();
    }
  });

  it("rejects in-flight execs when the server drops the connection, then reconnects", async () => {
    const pool = newPool();
    const t = targetFor(server);
    const before = server.connections;
    const hung = pool.exec(t, ["hang"]);
    const e = await rejection(pool.exec(t, ["drop"]));
    expect(e.kind).toBe("unreachable");
    expect((await rejection(hung)).kind).toBe("unreachable");
    expect((await pool.exec(t, ["echo", "again"])).stdout).toBe("echo again\n");
    expect(server.connections - before).toBe(2);
  });

  it("drops a wedged connection after a timeout and reconnects", async () => {
    const proxy = await startTcpProxy(server.port);
    const pool = newPool();
    const t = targetFor(proxy, { hostId: "wedge" });
    try {
      await pool.exec(t, ["echo", "warm"]);
      proxy.freeze();
      const e = await rejection(pool.exec(t, ["echo", "stuck"], { timeoutMs: 200 }));
      expect(e.kind).toBe("timeout");
      await expect.poll(() => pool.stats().connections).toBe(0);
      expect((await pool.exec(t, ["echo", "fresh"])).stdout).toBe("echo fresh\n");
      expect(proxy.connections).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it("keepalive notices a silently dead link and drops the connection", async () => {
    const proxy = await startTcpProxy(server.port);
    const pool = newPool({ keepaliveIntervalMs: 100, keepaliveCountMax: 2 });
    try {
      await pool.exec(targetFor(proxy, { hostId: "ka" }), ["echo"]);
      expect(pool.stats().connections).toBe(1);
      proxy.freeze();
      await expect.poll(() => pool.stats().connections, { timeout: 2_000 }).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it("replaces the connection when the target's parameters change; drop() closes it", async () => {
    const pool = newPool();
    const other = await startTestSshServer({ clientPublicKey: clientKey.publicKey });
    try {
      await pool.exec(targetFor(server), ["echo"]);
      const r = await pool.exec(targetFor(other), ["echo", "o"]);
      expect(r.stdout).toBe("echo o\n");
      expect(other.execs).toEqual(["echo o"]);
      await expect.poll(() => pool.stats().connections).toBe(1);
      const hung = pool.exec(targetFor(other), ["hang"]);
      await expect.poll(() => other.openSessions).toBe(1);
      pool.drop("h1");
      expect((await rejection(hung)).kind).toBe("unreachable");
      expect(pool.stats().connections).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("closeAll() lets running execs finish, refuses queued ones, then closes", async () => {
    const pool = newPool({ maxChannelsPerConnection: 1 });
    const running = pool.exec(targetFor(server), ["sleep", "100"]);
    const queued = rejection(pool.exec(targetFor(server), ["echo", "queued"]));
    await expect.poll(() => pool.stats().queued).toBe(1);
    await pool.closeAll(2_000);
    expect((await running).stdout).toBe("sleep 100\n");
    expect((await queued).kind).toBe("unreachable");
    expect(pool.stats().connections).toBe(0);
  });

  it("getSshPool() is a process-wide singleton", () => {
    expect(getSshPool()).toBe(getSshPool());
  });
});
