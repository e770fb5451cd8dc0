// GET /api/migrations/:id/events — live samples, events and state changes of one migration (SSE).
import type { NextRequest } from "next/server";
import { requireApiUser } from "@/lib/auth/route";
import { watchSession } from "@/lib/auth/session-watch";
import { noQuery, parseQuery } from "@/lib/http/query";
import { getMigrationView } from "@/lib/db/migration-view";
import { getHub } from "@/lib/realtime/hub";
import type { LiveUpdate, MigrationView } from "@/lib/schemas/wire";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

/** What the stream sends (lib/schemas/wire.ts): the view, then each update under its kind, or a signal. */
type Data = MigrationView | LiveUpdate | { at: string };

export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser(req, "viewer", "migration.events");
  if (user instanceof Response) return user;
  const query = parseQuery(req, noQuery);
  if (query instanceof Response) return query;
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) return Response.json({ error: "not found" }, { status: 404 });
  // Subscribe before reading the snapshot: an update committed in between is queued, not lost
  // (the page ignores samples it already has).
  const queued: [string, Data][] = [];
  let emit: (event: string, data: Data) => void = (event, data) => {
    queued.push([event, data]);
  };
  const unsubscribe = getHub().subscribe(
    id,
    (u) => emit(u.kind, u),
    // Listening again after losing Postgres: updates may have been missed, so the page reloads.
    () => emit("gap", { at: new Date().toISOString() }),
  );
  const view = await getMigrationView(id).catch((e: unknown) => {
    unsubscribe();
    throw e;
  });
  if (!view) {
    unsubscribe();
    return Response.json({ error: "not found" }, { status: 404 });
  }

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: Data) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup();
        }
      };
      send("snapshot", view);
      for (const [event, data] of queued.splice(0)) send(event, data);
      emit = send;
      const heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": heartbeat\n\n"));
        } catch {
          cleanup();
        }
      }, HEARTBEAT_MS);
      const close = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      // The stream must not outlive the session: logout, disable or a password change ends it.
      const stopWatch = watchSession(user, () => {
        send("revoked", { at: new Date().toISOString() });
        close();
      });
      cleanup = () => {
        clearInterval(heartbeat);
        stopWatch();
        unsubscribe();
      };
      req.signal.addEventListener("abort", close);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
