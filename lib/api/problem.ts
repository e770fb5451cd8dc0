import type { AppErrorCode } from "@/lib/errors";

// Errors of route handlers as RFC 9457 problem documents. `error` repeats a short reason for the
// console's own pages and older scripts, which read that field.

export type Problem = {
  status: number;
  code: AppErrorCode | "TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE";
  error: string;
  detail: string;
  fieldErrors?: Record<string, string[]>;
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The HTTP status of each error code a server action or handler can end with. */
export const STATUS_OF: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SSH_UNREACHABLE: 502,
  SSH_AUTH: 502,
  HOST_KEY_MISMATCH: 502,
  SSH_TIMEOUT: 504,
  REMOTE_ERROR: 500,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function problemResponse(p: Problem): Response {
  const body = {
    type: "about:blank",
    title: TITLES[p.status] ?? "Error",
    status: p.status,
    code: p.code,
    detail: p.detail,
    error: p.error,
    ...(p.fieldErrors ? { fieldErrors: p.fieldErrors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

export const unauthenticated = () =>
  problemResponse({
    status: 401,
    code: "UNAUTHENTICATED",
    error: "unauthenticated",
    detail: "Sign in, or send a valid API token (Authorization: Bearer cvy_…).",
  });
export const forbidden = (detail: string) =>
  problemResponse({ status: 403, code: "FORBIDDEN", error: "forbidden", detail });
export const notFound = (detail = "No such resource.") =>
  problemResponse({ status: 404, code: "NOT_FOUND", error: "not found", detail });
export const invalid = (detail: string, fieldErrors?: Record<string, string[]>) =>
  problemResponse({ status: 400, code: "INVALID", error: detail, detail, fieldErrors });
