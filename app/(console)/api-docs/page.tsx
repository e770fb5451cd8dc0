import { openApiDocument } from "@/lib/api/openapi";
import { V1_ENDPOINTS } from "@/lib/api/v1/index";
import { guardedPage } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

type Operation = {
  summary?: string;
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { name: string; in: string; schema: unknown }[];
};

// The API reference: every /api/v1 endpoint with its role and schemas, read from the same OpenAPI
// document /api/v1/openapi.json serves (server-rendered: no script or asset from elsewhere).
export default guardedPage("viewer", async () => {
  const doc = openApiDocument(V1_ENDPOINTS) as { paths: Record<string, Record<string, Operation>> };
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">API</h1>
      <p className="text-sm text-slate-400">
        Send <code>Authorization: Bearer cvy_…</code> (a token from your Account page) to <code>/api/v1</code>. The
        machine-readable document is{" "}
        <a className="underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI 3.1). Errors are <code>application/problem+json</code>.
      </p>
      <ul className="space-y-4">
        {V1_ENDPOINTS.map((e) => {
          const op = doc.paths[e.path]?.[e.method];
          const body = op?.requestBody?.content["application/json"]?.schema;
          return (
            <li
              key={`${e.method} ${e.path}`}
              className="rounded border border-slate-800 p-3 text-sm"
              data-endpoint={`${e.method.toUpperCase()} ${e.path}`}
            >
              <div className="flex flex-wrap items-baseline gap-3">
                <code className="font-semibold">{e.method.toUpperCase()}</code>
                <code>/api/v1{e.path}</code>
                <span className="text-slate-400">{e.role}</span>
                {e.action && <span className="text-slate-500">runs {e.action}</span>}
              </div>
              <p className="mt-1">{e.summary}</p>
              {op?.parameters?.length ? (
                <p className="mt-1 text-slate-400">
                  Parameters: {op.parameters.map((p) => `${p.name} (${p.in})`).join(", ")}
                </p>
              ) : null}
              {body ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-slate-400">Body schema</summary>
                  <pre className="overflow-x-auto text-xs">{JSON.stringify(body, null, 2)}</pre>
                </details>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
});
