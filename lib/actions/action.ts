import "server-only";
import type { z } from "zod";
import { hasRole, type Role } from "@/lib/auth/roles";
import type { Caller } from "@/lib/auth/caller";
import { getSession } from "@/lib/auth/session";
import { type AuditActor, type AuditDetail, type AuditedTransaction, writeAudit } from "@/lib/db/audit";
import { db, transaction } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError, type AppErrorCode, GENERIC_ERROR } from "@/lib/errors";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/convoy";

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode; message: string; fieldErrors?: Record<string, string[]> };

export type ActionContext<I> = {
  input: I;
  user: Caller;
  /** Runs DB work in one short transaction that also writes this action's audit row. */
  tx: AuditedTransaction;
  /** Target and before/after for the audit row when the action changes no DB rows itself. */
  setAudit: (detail: AuditDetail) => void;
  /** Public actions only (login): who the caller turned out to be, for the audit row. */
  identify: (who: { id: string; username: string; role: Role }) => void;
};

type Config<S extends z.ZodType> = {
  schema: S;
  role: Role | "public";
  audit: string;
  /** For an action that does one of several things: this call's audit name, from its raw input
   *  (refusals are audited too, so it must accept anything, falling back to `audit`). */
  auditAs?: (rawInput: unknown) => string;
};
export type ActionConfig = Config<z.ZodType>;
type Direct = { config: ActionConfig; run: (caller: Caller, rawInput: unknown) => Promise<ActionResult<unknown>> };

// Each action's guarded body, reachable by its exported function: the REST API (lib/api) calls the
// very same action with the token's caller instead of the cookie's session.
const byFunction = new WeakMap<object, Direct>();

const ANONYMOUS: AuditActor = { id: null, name: "anonymous", role: null };

/**
 * The one way to build a server action: session → role → zod → run → audit → typed result.
 * Identity is checked before parsing so an anonymous caller learns nothing from validation.
 * `role: "public"` is for login only: the handler receives a placeholder user.
 */
export function action<S extends z.ZodType, R>(
  config: Config<S>,
  run: (ctx: ActionContext<z.output<S>>) => Promise<R>,
): (input: z.input<S>) => Promise<ActionResult<R>> {
  const guarded = guard(config, run);
  const counted = async (caller: Caller | null, rawInput: unknown): Promise<ActionResult<R>> => {
    const name = auditName(config, rawInput);
    let result: ActionResult<R>;
    try {
      result = await guarded(caller, rawInput);
    } catch (e) {
      // Postgres down: nothing was done (the audit row could not be written either); say so plainly.
      if (!isDatabaseUnavailable(e)) throw e;
      log.error("action refused: database unreachable", { action: name, error: e });
      result = fail(
        "UNAVAILABLE",
        "Convoy's database is unreachable right now, so nothing was done. Try again in a moment.",
      );
    }
    metrics().actions.inc({ action: name, outcome: outcomeOf(result) });
    return result;
  };
  const fn = async (rawInput: z.input<S>) => counted(config.role === "public" ? null : await getSession(), rawInput);
  if (config.role !== "public") byFunction.set(fn, { config, run: counted });
  return fn;
}

/** The config (role, audit name, schema) an action was built with; null for anything else. */
export function actionConfig(fn: object): ActionConfig | null {
  return byFunction.get(fn)?.config ?? null;
}

/** The audit action a call with this input is recorded under. */
export function auditName(config: ActionConfig, rawInput: unknown): string {
  return config.auditAs?.(rawInput) ?? config.audit;
}

/** Runs an action as `caller` (an authenticated API token): same checks, audit and handler. */
export async function invokeAction<R>(
  fn: (input: never) => Promise<ActionResult<R>>,
  caller: Caller,
  rawInput: unknown,
): Promise<ActionResult<R>> {
  const direct = byFunction.get(fn);
  if (!direct) throw new Error("not an action() function");
  return (await direct.run(caller, rawInput)) as ActionResult<R>;
}

function outcomeOf(r: ActionResult<unknown>): "ok" | "denied" | "invalid" | "error" {
  if (r.ok) return "ok";
  if (r.code === "UNAUTHENTICATED" || r.code === "FORBIDDEN") return "denied";
  return r.code === "INVALID" ? "invalid" : "error";
}

/** Session → role → zod → run → audit (the body of every action). */
function guard<S extends z.ZodType, R>(
  config: Config<S>,
  run: (ctx: ActionContext<z.output<S>>) => Promise<R>,
): (user: Caller | null, input: unknown) => Promise<ActionResult<R>> {
  return async (user, rawInput) => {
    let actor: AuditActor = user
      ? { id: user.id, name: user.username, role: user.role, tokenId: user.tokenId }
      : ANONYMOUS;
    const name = auditName(config, rawInput);
    const audit = (result: "ok" | "denied" | "invalid" | "error", extra: AuditDetail & { error?: string } = {}) =>
      writeAudit(db, { actor, action: name, result, ...extra });

    if (config.role !== "public") {
      if (!user) {
        await audit("denied", { error: "no session" });
        return fail("UNAUTHENTICATED", "Please sign in again.");
      }
      if (!hasRole(user.role, config.role)) {
        await audit("denied", { error: `requires ${config.role}` });
        return fail("FORBIDDEN", `This needs the ${config.role} role; you are ${user.role}.`);
      }
    }

    const parsed = config.schema.safeParse(rawInput);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "_";
        fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
      }
      await audit("invalid", { error: JSON.stringify(fieldErrors).slice(0, 2000) });
      return { ok: false, code: "INVALID", message: "Some values are not valid.", fieldErrors };
    }

    let audited = false;
    let detail: AuditDetail = {};
    const ctx: ActionContext<z.output<S>> = {
      input: parsed.data,
      user: user ?? { id: "", username: "anonymous", role: "viewer", sessionId: "" },
      setAudit: (d) => {
        detail = { ...detail, ...d };
      },
      identify: (who) => {
        if (config.role === "public") actor = { id: who.id, name: who.username, role: who.role };
      },
      tx: (fn, auditFor) =>
        transaction(
          async (tx) => {
            const result = await fn(tx);
            const d = typeof auditFor === "function" ? auditFor(result) : auditFor;
            detail = { ...detail, ...d };
            await writeAudit(tx, { actor: actor, action: name, result: "ok", ...d });
            audited = true;
            return result;
          },
          { timeout: 10_000 },
        ),
    };

    try {
      const data = await run(ctx);
      if (!audited) await writeAudit(db, { actor: actor, action: name, result: "ok", ...detail });
      return { ok: true, data };
    } catch (e) {
      if (e instanceof AppError) {
        await writeAudit(db, { actor: actor, action: name, result: "error", error: e.message, ...detail });
        return fail(e.code, e.message);
      }
      // Check-then-create races (two admins adding the same name) end at a unique index.
      if ((e as { code?: unknown })?.code === "P2002") {
        await writeAudit(db, { actor, action: name, result: "error", error: "unique constraint", ...detail });
        return fail("CONFLICT", "Something with that name was created meanwhile. Reload and try again.");
      }
      log.error("action failed", { action: name, actor: actor.name, error: e });
      await writeAudit(db, { actor, action: name, result: "error", error: "internal error", ...detail });
      return fail("REMOTE_ERROR", GENERIC_ERROR);
    }
  };
}

function fail(code: AppErrorCode, message: string): { ok: false; code: AppErrorCode; message: string } {
  return { ok: false, code, message };
}
