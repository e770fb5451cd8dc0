// The operator controls of a running migration, named once. The name is the button's key, the
// server action's `action`, the audit action (`migration.<name>`), the event type a control writes
// (`<name>-requested`, `<name>`, `<name>-failed`) and the API path (`…/controls/<name>`). Pure.
import { z } from "zod";

export const OPERATOR_ACTIONS = [
  "set-max-downtime",
  "set-bandwidth",
  "throttle-harder",
  "restart-with-auto-converge",
  "suspend-to-finish",
  "switch-to-postcopy",
  "abort",
] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

const throttle = { initial: z.coerce.number().int().min(1).max(99), increment: z.coerce.number().int().min(1).max(99) };

/** What each control takes besides the migration and the idempotency key. */
export const CONTROL_PARAMS = {
  "set-max-downtime": { ms: z.coerce.number().int().min(1).max(2_000_000) },
  "set-bandwidth": { mib: z.coerce.number().int().min(1).max(1_000_000) },
  "throttle-harder": throttle,
  "restart-with-auto-converge": throttle,
  "suspend-to-finish": {},
  "switch-to-postcopy": {},
  abort: {},
} as const satisfies Record<OperatorAction, z.ZodRawShape>;

type Shape<A extends OperatorAction> = (typeof CONTROL_PARAMS)[A];
export type ParamsOf<A extends OperatorAction> = { [K in keyof Shape<A>]: z.output<Shape<A>[K]> };
/** One control with its parameters, as the controls (lib/migration-ops/controls) apply it. */
export type ControlRequest = { [A in OperatorAction]: { action: A } & ParamsOf<A> }[OperatorAction];

/** The body of `POST /api/v1/migrations/{id}/controls/<action>`. */
export const controlBody = <A extends OperatorAction>(action: A) =>
  z.object({ idempotencyKey: z.string().uuid(), ...CONTROL_PARAMS[action] });

const variant = <A extends OperatorAction>(action: A) =>
  controlBody(action).extend({ action: z.literal(action), migrationId: z.string().uuid() });

/** The input of the one server action for the controls. */
export const controlMigrationInput = z.discriminatedUnion("action", [
  variant("set-max-downtime"),
  variant("set-bandwidth"),
  variant("throttle-harder"),
  variant("restart-with-auto-converge"),
  variant("suspend-to-finish"),
  variant("switch-to-postcopy"),
  variant("abort"),
]);

export type ControlMigrationInput = z.input<typeof controlMigrationInput>;

/** The audit action of a control; anything that is not one (a refused input) is `migration.control`. */
export function controlAuditAction(rawInput: unknown): string {
  const action = z.enum(OPERATOR_ACTIONS).safeParse((rawInput as { action?: unknown } | null)?.action);
  return action.success ? `migration.${action.data}` : "migration.control";
}

/** Button labels (= accessible names), their pending text, and the API's one-line summary. */
export const CONTROL_TEXT: Record<OperatorAction, { label: string; pending: string; summary: string }> = {
  "set-max-downtime": {
    label: "Set max downtime",
    pending: "Setting max downtime…",
    summary: "Set the max downtime (read back from the host)",
  },
  "set-bandwidth": {
    label: "Set bandwidth",
    pending: "Setting bandwidth…",
    summary: "Set the bandwidth cap (read back from the host)",
  },
  "throttle-harder": {
    label: "Throttle harder",
    pending: "Raising the throttle…",
    summary: "Throttle the guest harder (auto-converge runs only)",
  },
  "restart-with-auto-converge": {
    label: "Restart with auto-converge",
    pending: "Restarting…",
    summary: "Abort and start again with auto-converge",
  },
  "suspend-to-finish": {
    label: "Suspend to finish",
    pending: "Suspending…",
    summary: "Pause the guest so the migration finishes",
  },
  "switch-to-postcopy": {
    label: "Switch to post-copy",
    pending: "Switching to post-copy…",
    summary: "Switch to post-copy (armed migrations only)",
  },
  abort: {
    label: "Abort migration",
    pending: "Aborting…",
    summary: "Abort the migration (the guest stays on the source)",
  },
};
