import "server-only";
import { OpenAPIRegistry, OpenApiGeneratorV31, type ZodMediaTypeObject } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { DEFAULT_BODY_LIMIT } from "@/lib/api/body";
import type { Endpoint } from "@/lib/api/endpoint";

// The OpenAPI 3.1 document, generated from each endpoint's zod schemas (@asteasolutions/zod-to-openapi,
// docs/decisions/015). `x-convoy-role` and `x-convoy-action` say who may call it and what it runs.

const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  error: z.string(),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
});

const problemContent = { "application/problem+json": { schema: problem } };

/** Any JSON (`z.json()`, the JSON columns): recursive, so zod would write it as a `$defs` entry. */
const ANY_JSON = z.json();

/**
 * A response's JSON Schema by zod itself (zod-to-openapi knows neither `.catch` nor `z.json()`),
 * self-contained: a JSON column is documented as any value rather than a `$ref` into `$defs`,
 * which would not resolve inside the OpenAPI document.
 */
function responseSchema(schema: z.ZodType): ZodMediaTypeObject["schema"] {
  const {
    $schema: _,
    $defs,
    ...doc
  } = z.toJSONSchema(schema, {
    io: "output",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === ANY_JSON._zod.def.type)
        for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
    },
  });
  if (Object.values($defs ?? {}).some((d) => Object.keys(d).length > 0))
    throw new Error("a response schema has a recursive part other than JSON");
  return JSON.parse(JSON.stringify(doc).replace(/\{"\$ref":"#\/\$defs\/[^"]+"\}/g, "{}"));
}

let cached: { doc: object; of: Endpoint[] } | null = null;

export function openApiDocument(endpoints: Endpoint[]): object {
  if (cached?.of === endpoints) return cached.doc;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "token", {
    type: "http",
    scheme: "bearer",
    description: "An API token (`cvy_…`) from Account → API tokens",
  });
  registry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "convoy_session" });
  for (const e of endpoints) {
    registry.registerPath({
      method: e.method,
      path: e.path,
      summary: e.summary,
      tags: [e.tag],
      security: [{ token: [] }, { session: [] }],
      request: {
        params: e.params,
        query: e.query instanceof z.ZodObject ? e.query : undefined,
        body: e.body ? { required: true, content: { "application/json": { schema: e.body } } } : undefined,
      },
      responses: {
        200: {
          description: e.produces === "text/csv" ? "The CSV file" : "JSON",
          content:
            e.produces === "text/csv"
              ? { "text/csv": { schema: z.string() } }
              : { "application/json": { schema: e.response ? responseSchema(e.response) : z.unknown() } },
        },
        400: { description: "Invalid parameters or body", content: problemContent },
        401: {
          description: "No valid session or token (expired, revoked, its owner disabled)",
          content: problemContent,
        },
        403: { description: `Needs the ${e.role} role`, content: problemContent },
        404: { description: "No such resource", content: problemContent },
        ...(e.body
          ? {
              409: { description: "Refused in this state", content: problemContent },
              413: { description: `Body over ${DEFAULT_BODY_LIMIT} bytes`, content: problemContent },
              415: { description: "Body not application/json", content: problemContent },
            }
          : {}),
      },
      "x-convoy-role": e.role,
      "x-convoy-action": e.action,
    });
  }
  const doc = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Convoy API",
      version: "1",
      description: "Live migrations of KVM/libvirt VMs. Every call is checked and audited like the console's own.",
    },
    servers: [{ url: "/api/v1" }],
  });
  for (const methods of Object.values(doc.paths ?? {}))
    for (const op of Object.values(methods as Record<string, { requestBody?: unknown }>)) closeObjects(op.requestBody);
  cached = { doc, of: endpoints };
  return doc;
}

/** The handler refuses a body field the schema does not know (lib/api/unknown-fields.ts): say so. */
function closeObjects(node: unknown): void {
  if (typeof node !== "object" || node === null) return; // arrays too: their values are walked below
  const o = node as Record<string, unknown>;
  if (o.type === "object" && o.properties && o.additionalProperties === undefined) o.additionalProperties = false;
  for (const v of Object.values(o)) closeObjects(v);
}
