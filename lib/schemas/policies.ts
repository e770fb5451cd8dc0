import { z } from "zod";

/** The editor sends the policy as JSON text; the action parses it with escalationPolicySchema. */
export const savePolicyInput = z.object({ json: z.string().min(2).max(20_000) });
