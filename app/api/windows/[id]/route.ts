// GET /api/windows/:id — a maintenance window with its plan, moves and their migrations (polled by its page).
import { apiRoute } from "@/lib/api/handler";
import { idParam } from "@/lib/api/params";
import { getWindowView } from "@/lib/db/windows";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ role: "viewer", audit: "api.windows.read", params: idParam }, async ({ params }) => {
  const view = await getWindowView(params.id);
  if (!view) throw new AppError("NOT_FOUND", "No such maintenance window.");
  return view;
});
