import "server-only";
import type { Endpoint } from "@/lib/api/endpoint";
import { fleetEndpoints } from "@/lib/api/v1/fleet";
import { migrationEndpoints } from "@/lib/api/v1/migrations";
import { openapiEndpoint } from "@/lib/api/v1/openapi-endpoint";
import { windowEndpoints } from "@/lib/api/v1/windows";

/** Every /api/v1 endpoint, in the order the OpenAPI document and /api-docs list them. */
export const V1_ENDPOINTS: Endpoint[] = [
  ...fleetEndpoints,
  ...migrationEndpoints,
  ...windowEndpoints,
  openapiEndpoint(() => V1_ENDPOINTS),
];
