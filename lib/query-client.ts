import { isServer, QueryClient } from "@tanstack/react-query";
import type { z } from "zod";

// One factory (TanStack advanced-SSR guide): a fresh client per server request, one per browser.
function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, error) =>
          count < 2 && !(error instanceof HttpError && (error.status === 401 || error.status === 403)),
      },
    },
  });
}

let browserClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserClient ??= makeQueryClient();
  return browserClient;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs `url` and parses its JSON with the shape it must have (lib/schemas/wire.ts): never taken on trust. */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S): Promise<z.output<S>> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new HttpError(res.status, res.status === 401 ? "Signed out" : `${url}: HTTP ${res.status}`);
  return schema.parse(await res.json());
}
