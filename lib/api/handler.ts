import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { authenticate } from "@/lib/api/authenticate";
import { DEFAULT_BODY_LIMIT, readJsonBody } from "@/lib/api/body";
import { invalid, notFound, problemResponse, STATUS_OF } from "@/lib/api/problem";
import { unknownFields } from "@/lib/api/unknown-fields";
import type { Caller } from "@/lib/auth/caller";
import type { Role } from "@/lib/auth/roles";
import { SAFE_METHODS } from "@/lib/auth/route";
import { type AuditDetail, writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, GENERIC_ERROR } from "@/lib/errors";
import { noQuery, readQuery } from "@/lib/http/query";
import { log } from "@/lib/log";

export type RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  role: Role;
  /** The audit action of refusals, and of the call itself when it changes state. */
  audit: string;
  params?: P;
  /** Default: no parameter allowed. */
  query?: Q;
  body?: B;
  maxBodyBytes?: number;
  /** What an invalid path parameter answers: 400 (default) or 404 (an id that cannot exist). */
  badParams?: 400 | 404;
  /** The handler runs a server action, which writes its own audit row (ok or not). */
  auditedByAction?: boolean;
};

/** rawBody: the JSON as sent (after the body schema accepted it), for handlers that hand it to an action to parse. */
export type RouteContext<P, Q, B> = {
  req: NextRequest;
  caller: Caller;
  params: P;
  query: Q;
  body: B;
  rawBody: unknown;
  setAudit: (d: AuditDetail) => void;
};
type NextContext = { params?: Promise<Record<string, string | string[] | undefined>> };

/**
 * The one way to build a route handler: caller (session cookie or API token) → role → zod path
 * parameters, query and body (size-limited) → handler → JSON, or a problem document with the
 * status of the error. State-changing calls are audited like a server action (ok, invalid, error);
 * refusals always are. A handler returns a Response (streams, files) or a value sent as JSON.
 */
export function apiRoute<
  P extends z.ZodType = z.ZodType<Record<string, never>>,
  Q extends z.ZodType = typeof noQuery,
  B extends z.ZodType = z.ZodType<undefined>,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
): (req: NextRequest, ctx?: NextContext) => Promise<Response> {
  return async (req, next) => {
    try {
      return await handle(spec, handler, req, (await next?.params) ?? {});
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      log.error("api refused: database unreachable", { action: spec.audit, error: e });
      return problemResponse({
        status: 503,
        code: "UNAVAILABLE",
        error: "unavailable",
        detail: "Convoy's database is unreachable right now, so nothing was done.",
      });
    }
  };
}

async function handle<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
  req: NextRequest,
  rawParams: Record<string, unknown>,
): Promise<Response> {
  const caller = await authenticate(req, spec.role, spec.audit);
  if (caller instanceof Response) return caller;
  const mutating = !SAFE_METHODS.has(req.method);
  const actor = { id: caller.id, name: caller.username, role: caller.role, tokenId: caller.tokenId };
  let detail: AuditDetail = {};
  const audit = (result: "ok" | "invalid" | "error", error?: string) =>
    mutating && !(spec.auditedByAction && result !== "invalid")
      ? writeAudit(db, { actor, action: spec.audit, result, error, ...detail })
      : Promise.resolve();

  const params = (spec.params ?? noQuery.passthrough()).safeParse(rawParams);
  if (!params.success) {
    await audit("invalid", "bad path parameter");
    return spec.badParams === 404 ? notFound() : invalid("Invalid path parameter.", fieldErrors(params.error));
  }
  const query = readQuery(req, spec.query ?? noQuery);
  if (!query.ok) {
    await audit("invalid", query.message);
    return invalid(query.message, query.fieldErrors);
  }
  let body: unknown;
  let rawBody: unknown;
  if (spec.body) {
    const raw = await readJsonBody(req, spec.maxBodyBytes ?? DEFAULT_BODY_LIMIT);
    if (!raw.ok) {
      await audit("invalid", raw.detail);
      const code = raw.status === 413 ? "TOO_LARGE" : raw.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "INVALID";
      return problemResponse({ status: raw.status, code, error: raw.detail, detail: raw.detail });
    }
    const parsed = spec.body.safeParse(raw.value);
    const errors = parsed.success
      ? Object.fromEntries(unknownFields(raw.value, parsed.data).map((k) => [k, ["Unknown field"]]))
      : fieldErrors(parsed.error);
    if (!parsed.success || Object.keys(errors).length > 0) {
      await audit("invalid", JSON.stringify(errors).slice(0, 2000));
      return invalid("Some values are not valid.", errors);
    }
    body = parsed.data;
    rawBody = raw.value;
  }

  try {
    const out = await handler({
      req,
      caller,
      params: params.data as z.output<P>,
      query: query.data as z.output<Q>,
      body: body as z.output<B>,
      rawBody,
      setAudit: (d) => (detail = { ...detail, ...d }),
    });
    await audit("ok");
    if (out instanceof Response) return out;
    return Response.json(out, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof AppError) {
      await audit("error", e.message);
      return problemResponse({ status: STATUS_OF[e.code], code: e.code, error: e.message, detail: e.message });
    }
    if (isDatabaseUnavailable(e)) throw e;
    log.error("route failed", { action: spec.audit, actor: caller.username, error: e });
    await audit("error", "internal error");
    return problemResponse({ status: 500, code: "REMOTE_ERROR", error: GENERIC_ERROR, detail: GENERIC_ERROR });
  }
}

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  // A Map: a body's own keys (`__proto__`, `constructor`) must not meet Object.prototype's.
  const out = new Map<string, string[]>();
  for (const issue of error.issues) {
    // zod names unknown keys in the issue, not in its path.
    const keys =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => [...issue.path, k].join("."))
        : [issue.path.join(".") || "_"];
    for (const key of keys)
      out.set(key, [...(out.get(key) ?? []), issue.code === "unrecognized_keys" ? "Unknown field" : issue.message]);
  }
  return Object.fromEntries(out);
}
