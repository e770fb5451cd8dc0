// A real HTTP server for the /api/v1 tests: node:http in front of the very route handler Next
// serves (app/api/v1/[...path]/route.ts), so tests call it with `fetch` as a script would, without
// building Next. Requests outside /api/v1 answer 404.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

export type ApiServer = { url: string; close: () => Promise<void> };

export async function startApiServer(): Promise<ApiServer> {
  const route = await import("@/app/api/v1/[...path]/route");
  const server: Server = createServer(async (req, res) => {
    try {
      const handler = req.method === "POST" ? route.POST : req.method === "GET" ? route.GET : null;
      const url = `http://${req.headers.host}${req.url}`;
      if (!handler || !new URL(url).pathname.startsWith("/api/v1/")) {
        res.writeHead(404).end();
        return;
      }
      const body = req.method === "POST" ? requestBody(req) : null;
      const response = await handler(toNextRequest(req, url, body?.stream));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      body?.discardRest();
    } catch (e) {
      res.writeHead(599).end(String((e as Error)?.stack ?? e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function toNextRequest(req: IncomingMessage, url: string, body: ReadableStream<Uint8Array> | undefined): NextRequest {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new NextRequest(url, { method: req.method, headers, body, duplex: "half" }); // undici needs duplex for a streamed body
}

/**
 * The request body as the handler sees it under Next: read only as fast as the handler reads, and
 * what the handler leaves (a refused upload: never read, or cancelled past the limit) is read and
 * discarded by the server, so the keep-alive connection is ready for the next request (Next's
 * server reads every body, through proxy.ts's body clone). Readable.toWeb(req) did neither: it
 * keeps the request paused once its queue is full, so the unread rest of a refused upload sat in
 * the socket and the next request sent on that connection never got an answer.
 */
function requestBody(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discardRest: () => void } {
  let controller: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    controller.enqueue(new Uint8Array(chunk));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => controller.close();
  const onError = (e: Error) => controller.error(e);
  const discardRest = () => {
    req.off("data", onData).off("end", onEnd).off("error", onError);
    req.resume();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      req.pause().on("data", onData).once("end", onEnd).once("error", onError);
    },
    pull: () => void req.resume(),
    cancel: discardRest,
  });
  return { stream, discardRest };
}
