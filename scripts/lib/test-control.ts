// A loopback-only HTTP port through which browser tests restart the stack's worker (SIGKILL, as a
// crash would, then a fresh one after `downMs`), and the signal handlers that stop the stack.
import { createServer } from "node:http";
import type { Stack } from "./stack";

export async function serveTestControl(stack: Stack): Promise<string> {
  const control = createServer((req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/worker/restart")) {
      const downMs = Number(new URL(req.url, "http://x").searchParams.get("downMs") ?? 0);
      stack.restartWorker({ downMs }).then(
        () => res.writeHead(200).end("{}"),
        (e) => res.writeHead(500).end(JSON.stringify({ error: String(e) })),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => control.listen(0, "127.0.0.1", r));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      control.close();
      await stack.stop();
      process.exit(0);
    });
  }
  const address = control.address();
  return typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
}
