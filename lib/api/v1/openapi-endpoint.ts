import "server-only";
import { type Endpoint, read } from "@/lib/api/endpoint";
import { openApiDocument } from "@/lib/api/openapi";

/** GET /api/v1/openapi.json: the document generated from the endpoints' own definitions. */
export function openapiEndpoint(all: () => Endpoint[]): Endpoint {
  return read(
    {
      method: "get",
      path: "/openapi.json",
      summary: "This API as an OpenAPI 3.1 document",
      tag: "meta",
      audit: "api.v1.openapi.read",
    },
    async () => openApiDocument(all()),
  );
}
