// GET /api/windows/:id — a maintenance window with its plan, moves and their migrations (polled by its page).
import type { NextRequest } from "next/server";
import { requireApiUser } from "@/lib/auth/route";
import { noQuery, parseQuery } from "@/lib/http/query";
import { getWindowView } from "@/lib/db/windows";
import { windowIdInput } from "@/lib/schemas/windows";

export const dynamic = "force-dynamic";

export async function GET(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser(req, "viewer", "windows.read");
  if (user instanceof Response) return user;
  const query = parseQuery(req, noQuery);
  if (query instanceof Response) return query;
  const parsed = windowIdInput.safeParse({ windowId: (await params).id });
  if (!parsed.success) return Response.json({ error: "invalid window id" }, { status: 400 });
  const view = await getWindowView(parsed.data.windowId);
  if (!view) return Response.json({ error: "not found" }, { status: 404 });
  return Response.json(view, { headers: { "cache-control": "no-store" } });
}
