// GET /api/fleet — hosts and VMs as last seen (polled by the fleet page).
import { apiRoute } from "@/lib/api/handler";
import { getFleet } from "@/lib/db/fleet";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ role: "viewer", audit: "api.fleet.read" }, () => getFleet());
