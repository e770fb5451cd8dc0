import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { type ActionResult, actionConfig, invokeAction } from "@/lib/actions/action";
import { apiRoute, type RouteContext } from "@/lib/api/handler";
import { problemResponse, STATUS_OF } from "@/lib/api/problem";
import type { Role } from "@/lib/auth/roles";
import type { noQuery } from "@/lib/http/query";

// One definition per /api/v1 endpoint: its method, path, role and zod schemas serve the router
// (lib/api/v1/router.ts), the checks (apiRoute) and the OpenAPI document (lib/api/openapi.ts).

type Obj = z.ZodObject<z.ZodRawShape>;
export type Method = "get" | "post";

export type Endpoint = {
  method: Method;
  /** OpenAPI style, below /api/v1: `/migrations/{id}`. */
  path: string;
  summary: string;
  tag: string;
  role: Role;
  audit: string;
  params?: Obj;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The server action it runs (the coverage table); null for reads. */
  action: string | null;
  /** What a success answers with (OpenAPI); JSON unless said. */
  produces: "application/json" | "text/csv";
  /** The JSON a success answers with (a wire shape, lib/schemas/wire.ts), for the OpenAPI document. */
  response?: z.ZodType;
  handle: (req: NextRequest, params: Record<string, string>) => Promise<Response>;
};

type Def<P extends Obj, Q extends z.ZodType, B extends z.ZodType> = {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  produces?: Endpoint["produces"];
};

/** A read (or a file): runs `run` once the caller, role and inputs are checked; it answers `response`. */
export function read<P extends Obj, Q extends z.ZodType = typeof noQuery, R extends z.ZodType = z.ZodUnknown>(
  def: Def<P, Q, z.ZodType<undefined>> & { role?: Role; audit: string; response?: R },
  run: (ctx: RouteContext<z.output<P>, z.output<Q>, undefined>) => Promise<z.output<R> | Response>,
): Endpoint {
  const role = def.role ?? "viewer";
  const route = apiRoute({ role, audit: def.audit, params: def.params, query: def.query, badParams: 404 }, run);
  return {
    ...def,
    role,
    action: null,
    produces: def.produces ?? "application/json",
    handle: (req, params) => route(req, { params: Promise.resolve(params) }),
  };
}

/**
 * An endpoint that runs a server action: its role and audit name are the action's own, the action
 * checks and audits the call as it does for the console, and the caller is the token's owner.
 * `input` builds the action's input from the path parameters and the body as sent.
 */
export function fromAction<P extends Obj, B extends z.ZodType, R>(
  fn: (input: never) => Promise<ActionResult<R>>,
  name: string,
  def: Def<P, typeof noQuery, B> & { audit?: string },
  input: (params: z.output<P>, body: Record<string, unknown>) => unknown,
): Endpoint {
  const config = actionConfig(fn);
  if (!config || config.role === "public") throw new Error(`${name} is not a guarded action()`);
  const body = def.body ?? (z.strictObject({}) as unknown as B);
  // An action that audits each call by its input (the controls) names the endpoint's own refusals too.
  const audit = def.audit ?? config.audit;
  const route = apiRoute(
    { role: config.role, audit, params: def.params, body, badParams: 404, auditedByAction: true },
    async ({ caller, params, rawBody }) => {
      // The action parses the body as sent (its schema is the one the body was checked against).
      const r = await invokeAction(fn, caller, input(params, rawBody as Record<string, unknown>));
      if (r.ok) return r.data;
      return problemResponse({
        status: STATUS_OF[r.code],
        code: r.code,
        error: r.message,
        detail: r.message,
        fieldErrors: r.fieldErrors,
      });
    },
  );
  return {
    ...def,
    body,
    role: config.role,
    audit,
    action: name,
    produces: "application/json",
    handle: (req, params) => route(req, { params: Promise.resolve(params) }),
  };
}
