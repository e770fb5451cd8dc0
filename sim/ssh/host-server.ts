// One simulated hypervisor's sshd: a TCP listener on 127.0.0.1 handing connections to an ssh2
// Server, public-key auth against the allowed client keys, and each exec request run through the
// sim's shell. Faults act at this level: down/refused close the listener (ECONNREFUSED), down
// also drops live connections, hang accepts TCP but never sends the SSH banner (and commands on
// connections already open never answer).
import { createServer, type Server as NetServer, type Socket } from "node:net";
import ssh2 from "ssh2";
import type { AuthContext, Connection, ParsedKey, ServerChannel } from "ssh2";
import type { FleetState } from "../model/fleet-state";
import { KERNEL_RELEASE, type SimHost } from "../model/host";
import { runShellLine, type ShellHost } from "../shell";
import { virshProgram } from "../virsh/cli";

const { Server } = ssh2;
const SSHD_IDENT = "OpenSSH_9.2p1 Debian-2+deb12u3";

export class HostServer {
  private readonly net: NetServer;
  private ssh: InstanceType<typeof Server>;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<Socket>();
  private readonly shellHost: ShellHost;
  private listening = false;
  /** Authenticated SSH connections: open now, and opened since start (Convoy keeps one per host). */
  readonly sessions = { open: 0, opened: 0 };

  constructor(
    fleet: FleetState,
    readonly host: SimHost,
    hostKey: string,
    private readonly allowedKeys: ParsedKey[],
  ) {
    this.shellHost = {
      hostname: host.name,
      kernelRelease: KERNEL_RELEASE,
      fs: host.fs,
      procs: host.procs,
      programs: { virsh: virshProgram(fleet, host) },
    };
    this.ssh = this.makeServer(hostKey);
    this.net = createServer((socket) => this.onSocket(socket));
    this.net.on("error", () => {});
  }

  private makeServer(hostKey: string): InstanceType<typeof Server> {
    const server = new Server({ hostKeys: [hostKey], ident: SSHD_IDENT }, (client) => this.onClient(client));
    server.on("error", () => {});
    return server;
  }

  /** A re-installed host: new sessions see the new key; live ones are dropped, as on a reboot. */
  replaceHostKey(hostKey: string): void {
    this.ssh = this.makeServer(hostKey);
    for (const s of this.sockets) s.destroy();
  }

  /** Bind 127.0.0.1:`port` (0 = any free port); resolves with the bound port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onErr = (e: Error) => reject(e);
      this.net.once("error", onErr);
      this.net.listen(port, "127.0.0.1", () => {
        this.net.off("error", onErr);
        resolve();
      });
    });
    this.listening = true;
    const addr = this.net.address();
    this.host.port = typeof addr === "object" && addr ? addr.port : port;
    return this.host.port;
  }

  /** Bring the listener and live connections in line with the host's faults. */
  async applyFaults(): Promise<void> {
    const f = this.host.faults;
    if (f.down) for (const s of this.sockets) s.destroy();
    if (!f.hang) {
      for (const s of this.held) s.destroy();
      this.held.clear();
    }
    if ((f.down || f.sshRefused) && this.listening) {
      this.listening = false;
      await new Promise<void>((r) => this.net.close(() => r()));
    } else if (!f.down && !f.sshRefused && !this.listening) {
      await this.listen(this.host.port);
    }
  }

  async stop(): Promise<void> {
    for (const s of [...this.sockets, ...this.held]) s.destroy();
    if (this.listening) {
      this.listening = false;
      await new Promise<void>((r) => this.net.close(() => r()));
    }
  }

  private onSocket(socket: Socket): void {
    if (this.host.faults.down || this.host.faults.sshRefused) {
      socket.destroy();
      return;
    }
    socket.on("error", () => {});
    if (this.host.faults.hang) {
      // TCP is accepted but no SSH identification string is ever sent.
      this.held.add(socket);
      socket.once("close", () => this.held.delete(socket));
      return;
    }
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    this.ssh.injectSocket(socket);
  }

  private onClient(client: Connection): void {
    const hangups = new Set<AbortController>();
    const dropAll = () => {
      for (const h of hangups) h.abort();
      hangups.clear();
    };
    client.on("error", () => {});
    client.on("close", dropAll);
    client.on("end", dropAll);
    client.on("authentication", (ctx) => this.authenticate(ctx));
    client.on("ready", () => {
      this.sessions.open++;
      this.sessions.opened++;
      client.once("close", () => this.sessions.open--);
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        let term: AbortController | undefined;
        session.on("env", (accept) => accept?.());
        session.on("pty", (accept) => accept?.());
        session.on("shell", (_accept, reject) => reject?.());
        session.on("signal", (accept, _reject, info) => {
          accept?.();
          if (["TERM", "INT", "KILL", "HUP", "QUIT"].includes(info.name)) term?.abort();
        });
        session.on("exec", (accept, _reject, info) => {
          const stream = accept();
          // A hung host answers nothing on connections it already had either: the command never runs.
          if (this.host.faults.hang) return;
          const hangup = new AbortController();
          term = new AbortController();
          hangups.add(hangup);
          this.runExec(info.command, stream, hangup, term).finally(() => hangups.delete(hangup));
        });
      });
    });
  }

  private async runExec(
    line: string,
    stream: ServerChannel,
    hangup: AbortController,
    term: AbortController,
  ): Promise<void> {
    let open = true;
    stream.on("close", () => {
      open = false;
      hangup.abort();
    });
    stream.on("error", () => {});
    // Clients send EOF on stdin right away; nothing here reads stdin interactively.
    stream.on("data", () => {});
    const out = coalescedWriter(stream, () => open);
    const write = (to: "out" | "err") => (s: string) => out.write(to, s);
    let code: number;
    try {
      code = await runShellLine(this.shellHost, line, {
        stdout: write("out"),
        stderr: write("err"),
        hangup: hangup.signal,
        term: term.signal,
      });
    } catch (e) {
      write("err")(`sh: 1: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      code = 2;
    }
    out.flush();
    if (!open) return;
    // A command killed by a signal request is reported as exit-signal, as sshd does.
    if (term.signal.aborted && code === 143) stream.exit("TERM", false, "");
    else stream.exit(code);
    stream.end();
  }

  private authenticate(ctx: AuthContext): void {
    if (ctx.method !== "publickey") {
      ctx.reject(["publickey"]);
      return;
    }
    const key = this.allowedKeys.find((k) => k.getPublicSSH().equals(ctx.key.data));
    if (!key) {
      ctx.reject(["publickey"]);
      return;
    }
    // Without a signature the client only asks whether the key would do (RFC 4252 §7).
    if (ctx.signature && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
      ctx.reject(["publickey"]);
      return;
    }
    ctx.accept();
  }
}

/**
 * A command's output, written to the channel once per turn of the event loop instead of once per
 * `out()` call: a batch of virsh commands printed ~60 small SSH packets (each padded, encrypted
 * and decrypted on both sides), which cost the simulator and the client more CPU than the
 * commands. The bytes and their order are unchanged (stdout and stderr are separate SSH streams:
 * switching stream flushes first), and a streaming command (virsh event, migrate) still sends each
 * line before it waits on a timer.
 */
function coalescedWriter(stream: ServerChannel, isOpen: () => boolean) {
  let to: "out" | "err" = "out";
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    if (!isOpen()) return;
    if (to === "out") stream.write(text);
    else stream.stderr.write(text);
  };
  return {
    write(where: "out" | "err", s: string) {
      if (!isOpen() || s === "") return;
      if (where !== to) flush();
      to = where;
      pending.push(s);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
