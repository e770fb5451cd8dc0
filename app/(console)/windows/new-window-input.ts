// Reads the "New maintenance window" form into the action's input and checks it with the action's
// own zod schema, so the browser shows the same errors the server would.
import { parseWebhookLines } from "@/lib/alerts/rules";
import { type CreateWindowInput, createWindowInput, parseAntiAffinityText } from "@/lib/schemas/windows";

export type Errors = Record<string, string[]>;

/** The form's values as the action's input, and every error found in them (empty when it is valid). */
export function readNewWindowForm(f: FormData): { input: CreateWindowInput; errors: Errors } {
  const groups = parseAntiAffinityText(String(f.get("antiAffinity") ?? ""));
  const hooks = parseWebhookLines(String(f.get("alertWebhooks") ?? ""));
  const input: CreateWindowInput = {
    name: String(f.get("name") ?? ""),
    startsAt: utcInput(String(f.get("startsAt") ?? "")),
    endsAt: utcInput(String(f.get("endsAt") ?? "")),
    hostIds: f.getAll("hostIds").map(String),
    excludedHostIds: f.getAll("excludedHostIds").map(String),
    downtimeBudgetMs: String(f.get("downtimeBudgetMs") ?? ""),
    maxOutbound: String(f.get("maxOutbound") ?? ""),
    maxInbound: String(f.get("maxInbound") ?? ""),
    policyName: String(f.get("policyName") ?? "none"),
    antiAffinity: groups.ok ? groups.groups : {},
    alertWebhooks: hooks.ok ? hooks.targets : [],
  };
  const local = createWindowInput.safeParse(input);
  const errors: Errors = local.success ? {} : fieldErrors(local.error.issues);
  if (!groups.ok) errors.antiAffinity = [groups.error];
  if (!hooks.ok) errors.alertWebhooks = [hooks.error];
  return { input, errors };
}

function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Errors {
  return byField(Object.fromEntries(issues.map((i) => [i.path.map(String).join("."), [i.message]])));
}

/** "hostIds.0" → "hostIds": errors inside a list show on the list's field. */
export function byField(errors: Errors): Errors {
  const out: Errors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = key.split(".")[0] || "_";
    out[field] = [...new Set([...(out[field] ?? []), ...messages])];
  }
  return out;
}

/** datetime-local values are read as UTC (the console shows UTC everywhere). */
function utcInput(value: string): string {
  return value ? `${value.length === 16 ? `${value}:00` : value}Z` : "";
}
