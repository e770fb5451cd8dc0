// A plain ssh2 client for the integration tests: one connection per host, exec a line, collect
// stdout/stderr/exit code (the same way lib/ssh does, without its pool).
import ssh2 from "ssh2";
import type { Client as Ssh2Client } from "ssh2";
import type { RunningFleet } from "../fleet";

const { Client } = ssh2;

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export class SshTestClient {
  private constructor(private readonly client: Ssh2Client) {}

  static connect(fleet: RunningFleet, host: string, privateKey?: string, readyTimeout = 5000): Promise<SshTestClient> {
    const h = fleet.hosts.find((x) => x.name === host);
    if (!h) throw new Error(`no host ${host}`);
    const key = privateKey ?? fleet.clientKey?.privateKey;
    return new Promise((resolve, reject) => {
      const c = new Client();
      c.on("ready", () => resolve(new SshTestClient(c)));
      c.on("error", reject);
      c.connect({ host: h.address, port: h.port, username: "root", privateKey: key ?? "", readyTimeout });
    });
  }

  /** `onData` is called for each SSH data message (stdout or stderr) as it arrives. */
  exec(line: string, onData?: () => void): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(line, (err, s) => {
        if (err) return reject(err);
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null = null;
        let signal: string | null = null;
        s.on("data", (d: Buffer) => {
          onData?.();
          out.push(d);
        });
        s.stderr.on("data", (d: Buffer) => {
          onData?.();
          errOut.push(d);
        });
        s.on("exit", (c: number | null, sig?: string) => {
          code = typeof c === "number" ? c : null;
          signal = sig ?? null;
        });
        s.on("close", () =>
          resolve({
            code,
            signal,
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(errOut).toString("utf8"),
          }),
        );
        s.end();
      });
    });
  }

  close(): void {
    this.client.end();
  }
}

/** Poll `fn` until it returns a truthy value (or throw after `timeoutMs`). */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error("waitFor: timed out");
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `key: value` lines of `domjobinfo --rawstats`. */
export function rawStats(text: string): { type: number; stats: Record<string, number> } {
  const lines = text.split("\n");
  const type = Number(/^Job type: (\d+)/.exec(lines[0] ?? "")?.[1] ?? -1);
  const stats: Record<string, number> = {};
  for (const l of lines.slice(2)) {
    const m = /^(\w+): (\d+)$/.exec(l);
    if (m) stats[m[1] as string] = Number(m[2]);
  }
  return { type, stats };
}
