import net from "node:net";
import type { ParsedKey, ServerChannel, Connection as ServerConnection } from "ssh2";
import ssh2 from "ssh2";
import { generateEd25519 } from "@/lib/ssh/keygen";
import { fingerprintOf } from "@/lib/ssh/host-keys";

// Test-only helpers: a real SSH server on 127.0.0.1 (ssh2.Server) that reports exactly what
// reached the far side, plus raw TCP fixtures for failure modes. Imported only by *.test.ts.

const { Server, utils } = ssh2;

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const kp = generateEd25519();
  return { privateKey: kp.private, publicKey: kp.public };
}

function parseOne(text: string): ParsedKey {
  const k = utils.parseKey(text);
  if (k instanceof Error) throw k;
  const first = Array.isArray(k) ? k[0] : k;
  if (!first) throw new Error("no key parsed");
  return first;
}

export type ExecBehavior =
  | { type: "echo" } // stdout = the command line received + "\n", exit 0
  | { type: "hang" } // never answers; the channel stays open until the client closes it
  | { type: "exit"; code: number; stdout?: string; stderr?: string }
  | { type: "signal"; signal: string } // process "killed" by a signal
  | { type: "drop" } // the server closes the whole connection mid-exec
  | { type: "stdin" } // answers with whatever arrived on stdin, after EOF
  | { type: "delay"; ms: number }; // echo after a delay

/** Default dispatch on the first word of the received line, so tests stay declarative. */
export function defaultBehavior(command: string): ExecBehavior {
  const [verb, arg] = command.split(" ");
  switch (verb) {
    case "hang":
      return { type: "hang" };
    case "fail":
      return {
        type: "exit",
        code: Number(arg ?? 1),
        stdout: "partial\n",
        stderr: "error: failed to get domain 'vm1'\nerror: Domain not found\n",
      };
    case "kill":
      return { type: "signal", signal: "KILL" };
    case "drop":
      return { type: "drop" };
    case "cat":
      return { type: "stdin" };
    case "sleep":
      return { type: "delay", ms: Number(arg ?? 100) };
    default:
      return { type: "echo" };
  }
}

export interface TestSshServer {
  address: string;
  port: number;
  hostPublicKey: string;
  hostKeyBlob: Buffer;
  fingerprint: string;
  /** TCP connections accepted. */
  connections: number;
  /** Userauth requests of any method (including "none"). */
  authAttempts: number;
  /** Exec command lines exactly as received. */
  execs: string[];
  openSessions: number;
  maxConcurrentSessions: number;
  /** Sessions refused because the per-connection limit (sshd MaxSessions) was hit. */
  refusedSessions: number;
  /** Exec channels the client closed before we answered (hang/delay). */
  abandonedByClient: number;
  /** "signal" channel requests seen on the wire (e.g. TERM for an abandoned exec). */
  signalsReceived: string[];
  behavior: (command: string) => ExecBehavior;
  /** End every client connection (as if sshd restarted). */
  dropAll(): void;
  close(): Promise<void>;
}

export function startTestSshServer(opts: {
  clientPublicKey: string;
  hostKey?: KeyPair;
  maxSessions?: number;
}): Promise<TestSshServer> {
  const hostKey = opts.hostKey ?? generateKeyPair();
  const allowed = parseOne(opts.clientPublicKey);
  const allowedBlob = allowed.getPublicSSH();
  const hostKeyBlob = parseOne(hostKey.publicKey).getPublicSSH();
  const maxSessions = opts.maxSessions ?? 10;
  const clients = new Set<ServerConnection>();

  const state: TestSshServer = {
    address: "127.0.0.1",
    port: 0,
    hostPublicKey: hostKey.publicKey,
    hostKeyBlob,
    fingerprint: fingerprintOf(hostKeyBlob),
    connections: 0,
    authAttempts: 0,
    execs: [],
    openSessions: 0,
    maxConcurrentSessions: 0,
    refusedSessions: 0,
    abandonedByClient: 0,
    signalsReceived: [],
    behavior: defaultBehavior,
    dropAll: () => {
      for (const c of clients) c.end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };

  const serverConfig = {
    hostKeys: [hostKey.privateKey],
    // ssh2's Server drops "signal" requests that arrive after exec started (OpenSSH's sshd
    // honours them), so we observe them on the wire through the protocol debug hook.
    debug: (msg: string) => {
      const m = /Inbound: CHANNEL_REQUEST \(r:\d+, signal: (\w+)\)/.exec(msg);
      if (m?.[1]) state.signalsReceived.push(m[1]);
    },
  };
  const server = new Server(serverConfig, (client) => {
    state.connections++;
    clients.add(client);
    let sessionsHere = 0;
    client.on("close", () => clients.delete(client));
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      state.authAttempts++;
      if (ctx.method !== "publickey") return ctx.reject(["publickey"]);
      const sameKey = ctx.key.algo === allowed.type && ctx.key.data.equals(allowedBlob);
      if (!sameKey) return ctx.reject(["publickey"]);
      // No signature = the client asks whether this key would be acceptable.
      if (!ctx.signature || !ctx.blob) return ctx.accept();
      if (allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
        return ctx.reject(["publickey"]);
      }
      ctx.accept();
    });
    client.on("ready", () => {
      client.on("session", (accept, reject) => {
        if (sessionsHere >= maxSessions) {
          state.refusedSessions++;
          return reject();
        }
        sessionsHere++;
        state.openSessions++;
        state.maxConcurrentSessions = Math.max(state.maxConcurrentSessions, state.openSessions);
        const session = accept();
        let closed = false;
        session.on("close", () => {
          if (closed) return;
          closed = true;
          sessionsHere--;
          state.openSessions--;
        });
        session.on("exec", (acceptExec, _rejectExec, info) => {
          state.execs.push(info.command);
          const ch = acceptExec();
          answer(ch, info.command, state.behavior(info.command), client, () => {
            state.abandonedByClient++;
          });
        });
      });
    });
  });

  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address() as net.AddressInfo;
      state.port = addr.port;
      resolve(state);
    });
  });
}

function answer(
  ch: ServerChannel,
  command: string,
  b: ExecBehavior,
  client: ServerConnection,
  onAbandoned: () => void,
): void {
  let answered = false;
  ch.on("close", () => {
    if (!answered) onAbandoned();
  });
  ch.on("error", () => {});
  // ssh2 only emits a server channel's "close" after its readable side ended, which needs the
  // stream to flow; "stdin" reads it itself.
  if (b.type !== "stdin") ch.resume();
  const finish = (code: number, stdout: string, stderr = "") => {
    if (answered) return;
    answered = true;
    if (stdout) ch.write(stdout);
    if (stderr) ch.stderr.write(stderr);
    ch.exit(code);
    ch.end();
  };
  switch (b.type) {
    case "echo":
      finish(0, `${command}\n`);
      return;
    case "hang":
      return;
    case "exit":
      finish(b.code, b.stdout ?? "", b.stderr ?? "");
      return;
    case "signal":
      answered = true;
      ch.exit(b.signal, false, "killed");
      ch.end();
      return;
    case "drop":
      answered = true;
      ch.write("about to drop\n");
      setTimeout(() => client.end(), 20);
      return;
    case "stdin": {
      const chunks: Buffer[] = [];
      ch.on("data", (d: Buffer) => chunks.push(d));
      ch.on("end", () => finish(0, Buffer.concat(chunks).toString("utf8")));
      return;
    }
    case "delay": {
      const t = setTimeout(() => finish(0, `${command}\n`), b.ms);
      ch.on("close", () => clearTimeout(t));
      return;
    }
  }
}

/** A port that was just free: connecting to it gets ECONNREFUSED. */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Accepts TCP and never says a word: an SSH client must give up by itself. */
export async function startSilentTcpServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as net.AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

/**
 * TCP relay in front of a server. `freeze()` black-holes established links in both directions
 * (a wedged network path that keeps the socket open); new links still work.
 */
export async function startTcpProxy(targetPort: number): Promise<{
  port: number;
  connections: number;
  freeze(): void;
  close(): Promise<void>;
}> {
  const links = new Set<{ a: net.Socket; b: net.Socket; frozen: boolean }>();
  const srv = net.createServer((a) => {
    proxy.connections++;
    const b = net.connect(targetPort, "127.0.0.1");
    const link = { a, b, frozen: false };
    links.add(link);
    a.on("data", (d) => {
      if (!link.frozen) b.write(d);
    });
    b.on("data", (d) => {
      if (!link.frozen) a.write(d);
    });
    const end = () => {
      links.delete(link);
      a.destroy();
      b.destroy();
    };
    a.on("close", end).on("error", end);
    b.on("close", end).on("error", end);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const proxy = {
    port: (srv.address() as net.AddressInfo).port,
    connections: 0,
    freeze: () => {
      for (const l of links) l.frozen = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const l of links) {
          l.a.destroy();
          l.b.destroy();
        }
        srv.close(() => r());
      }),
  };
  return proxy;
}
