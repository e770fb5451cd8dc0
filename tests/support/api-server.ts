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
      const response = await handler(toNextRequest(req, url));
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
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

/**
 * As Next's server builds it (NextRequestAdapter.fromNodeNextRequest): the IncomingMessage itself
 * is the body, an async iterable that undici pulls from only as the handler reads. So a body the
 * handler never reads is discarded by node:http once the answer is sent, and one it cancels
 * (over the limit) is destroyed. Readable.toWeb(req) instead starts reading at once and pauses the
 * request when its queue fills: the unread rest of a refused upload then sat in the socket, and the
 * keep-alive connection stalled the next request sent on it.
 */
function toNextRequest(req: IncomingMessage, url: string): NextRequest {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new NextRequest(url, {
    method: req.method,
    headers,
    body: hasBody ? (req as unknown as ReadableStream<Uint8Array>) : undefined,
    duplex: "half", // undici needs it for a streamed body
  });
}
