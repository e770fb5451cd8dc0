// `npm start`: the production console, i.e. `next start` with one addition. Next copies the socket's
// address into X-Forwarded-For only when the request carries none, so a client could name any
// address and escape sign-in throttling. Here the header is what the socket says — unless
// CONVOY_TRUSTED_PROXY_HOPS says reverse proxies in front append to it (lib/auth/client-address.ts
// then reads the entry they wrote). Usage: node --import tsx scripts/web-server.ts [-H host] [-p port]
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";

const { values } = parseArgs({
  options: {
    hostname: { type: "string", short: "H", default: "0.0.0.0" },
    port: { type: "string", short: "p", default: process.env.PORT ?? "3000" },
  },
});
const port = Number(values.port);
const hops = Number(process.env.CONVOY_TRUSTED_PROXY_HOPS ?? 0);

const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname: values.hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  const socketAddress = req.socket.remoteAddress ?? "unknown";
  if (hops === 0 || !req.headers["x-forwarded-for"]) req.headers["x-forwarded-for"] = socketAddress;
  void handle(req, res);
});
server.listen(port, values.hostname, () =>
  process.stdout.write(`▲ Convoy console on http://${values.hostname}:${port}\n`),
);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections(); // SSE streams would hold close() open forever
  });
}
