import { isServer, QueryClient } from "@tanstack/react-query";

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

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new HttpError(res.status, res.status === 401 ? "Signed out" : `${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
