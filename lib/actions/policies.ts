"use server";

import { action } from "@/lib/actions/action";
import { savePolicy } from "@/lib/db/policies";
import { AppError } from "@/lib/errors";
import { escalationPolicySchema } from "@/lib/migration/escalation";
import { ParseLimitError, parseJsonLimited } from "@/lib/parse/safe-parse";
import { savePolicyInput } from "@/lib/schemas/policies";

/** Creates or replaces a named escalation policy (a built-in name overrides the built-in). */
export const savePolicyAction = action(
  { schema: savePolicyInput, role: "admin", audit: "policy.save" },
  async ({ input, tx }) => {
    let raw: unknown;
    try {
      raw = parseJsonLimited(input.json, "The policy");
    } catch (e) {
      if (e instanceof ParseLimitError) throw new AppError("INVALID", e.message);
      throw new AppError("INVALID", `Not valid JSON: ${(e as Error).message}`);
    }
    const parsed = escalationPolicySchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        "INVALID",
        parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join(".") || "(policy)"}: ${i.message}`)
          .join("; "),
      );
    }
    const p = parsed.data;
    return tx(
      (t) => savePolicy(t, { name: p.name, steps: p.steps }),
      (r) => ({ targetType: "policy", targetId: r.name, before: r.before, after: p.steps }),
    ).then((r) => ({ name: r.name }));
  },
);
