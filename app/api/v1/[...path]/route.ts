// /api/v1/* — the versioned REST API. Each endpoint is defined once in lib/api/v1/ (method, path,
// role, zod schemas); the OpenAPI document is at /api/v1/openapi.json.
import { dispatchV1 } from "@/lib/api/v1/router";

export const dynamic = "force-dynamic";

export const GET = dispatchV1;
export const POST = dispatchV1;
