// HTTP front of FleetControl, bound to 127.0.0.1 only:
//   GET  /state                                   whole fleet (hosts, domains, migrations)
//   GET  /stats                                   SSH connections per host, migrate runs per VM, wall-clock stamps of job samples
//   POST /fault      {host, kind, on}             kind: down | link-drop | ssh-refused | libvirtd-restart | hang
//   POST /time-scale {factor}
//   POST /workload   {vm, profile?, dirtyRateMiBps?}
//   POST /rotate-host-key {host}                  the host presents a new SSH host key (re-install)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { z } from "zod";
import {
  ControlError,
  type FleetControl,
  faultInput,
  guestFaultInput,
  rotateKeyInput,
  timeScaleInput,
  workloadInput,
} from "./control";

const MAX_BODY = 64 * 1024;

export async function startControlServer(
  control: FleetControl,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    handle(control, req, res).catch((e: unknown) =>
      send(res, 500, { error: e instanceof Error ? e.message : String(e) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function handle(control: FleetControl, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Bound to loopback already; refuse anything that still arrives from elsewhere.
  const remote = req.socket.remoteAddress ?? "";
  if (!/^(127\.|::1$|::ffff:127\.)/.test(remote)) return send(res, 403, { error: "loopback only" });
  const path = (req.url ?? "/").split("?")[0];
  if (req.method === "GET" && path === "/state") return send(res, 200, control.state());
  if (req.method === "GET" && path === "/stats") return send(res, 200, control.stats());
  if (req.method !== "POST")
    return send(res, path === "/state" || path === "/stats" ? 405 : 404, { error: "not found" });
  const body = await readJson(req);
  if (body instanceof Error) return send(res, 400, { error: body.message });
  try {
    if (path === "/fault") {
      const f = parse(faultInput, body);
      await control.setFault(f.host, f.kind, f.on);
      return send(res, 200, { ok: true });
    }
    if (path === "/guest-fault") {
      const g = parse(guestFaultInput, body);
      control.setGuestFault(g.vm, g.kind);
      return send(res, 200, { ok: true });
    }
    if (path === "/rotate-host-key") {
      return send(res, 200, control.rotateHostKey(parse(rotateKeyInput, body).host));
    }
    if (path === "/time-scale") {
      control.setTimeScale(parse(timeScaleInput, body).factor);
      return send(res, 200, { ok: true });
    }
    if (path === "/workload") {
      const w = parse(workloadInput, body);
      control.setWorkload(w.vm, {
        ...(w.profile ? { profile: w.profile } : {}),
        ...(w.dirtyRateMiBps !== undefined ? { dirtyRateMiBps: w.dirtyRateMiBps } : {}),
      });
      return send(res, 200, { ok: true });
    }
  } catch (e) {
    if (e instanceof ControlError || e instanceof BadRequest) return send(res, 400, { error: e.message });
    throw e;
  }
  return send(res, 404, { error: "not found" });
}

class BadRequest extends Error {}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new BadRequest(r.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
  return r.data;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(new Error("body too large"));
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch {
        resolve(new Error("body is not valid JSON"));
      }
    });
    req.on("error", (e) => resolve(e));
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
