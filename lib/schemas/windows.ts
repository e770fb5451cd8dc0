import { z } from "zod";
import { webhookTargets } from "@/lib/alerts/rules";
import { lineText } from "@/lib/schemas/text";

// Maintenance windows (issue 5): shared by the "New maintenance window" form and lib/actions/windows.

const uuid = z.string().uuid();

/** A VM name as libvirt allows it closely enough for a list typed by hand. */
const vmName = lineText(1, 200);
const groupName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "Group names: letters, digits, dot, dash, underscore");

/** `{ group: [vm names] }`: VMs of one group must never share a host after the drain. */
export const antiAffinityGroups = z
  .record(groupName, z.array(vmName).min(2, "A group needs at least two VMs").max(1000))
  .superRefine((groups, ctx) => {
    const seen = new Map<string, string>();
    for (const [group, vms] of Object.entries(groups)) {
      for (const vm of vms) {
        const other = seen.get(vm);
        if (other !== undefined)
          ctx.addIssue({ code: "custom", message: `${vm} is in two groups (${other} and ${group})` });
        seen.set(vm, group);
      }
    }
    if (Object.keys(groups).length > 200) ctx.addIssue({ code: "custom", message: "At most 200 groups" });
  });
export type AntiAffinityGroups = z.output<typeof antiAffinityGroups>;

/** "none" leaves every decision to the operator: VMs predicted not to converge are flagged, not auto-converged. */
export const windowPolicyName = z.union([
  z.literal("none"),
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "A policy name"),
]);

const count = (label: string) =>
  z.coerce
    .number({ message: `${label}: enter a number` })
    .int(`${label}: a whole number`)
    .min(1, `${label}: at least 1`)
    .max(16, `${label}: at most 16`);

const date = (label: string) => z.coerce.date({ message: `${label}: enter a date and time` });

export const createWindowInput = z
  .object({
    name: lineText(3, 100),
    startsAt: date("Start"),
    endsAt: date("End"),
    hostIds: z.array(uuid).min(1, "Pick at least one host to drain").max(200),
    /** Max downtime per VM at switchover (QEMU's downtime limit), also the planner's convergence target. */
    downtimeBudgetMs: z.coerce
      .number({ message: "Enter a number of milliseconds" })
      .int()
      .min(10, "At least 10 ms")
      .max(60_000, "At most 60 000 ms")
      .default(1000),
    maxOutbound: count("Outbound per source").default(2),
    maxInbound: count("Inbound per destination").default(2),
    policyName: windowPolicyName.default("default"),
    excludedHostIds: z.array(uuid).max(500).default([]),
    antiAffinity: antiAffinityGroups.default({}),
    alertWebhooks: webhookTargets.default([]),
  })
  .superRefine((w, ctx) => {
    if (w.endsAt.getTime() <= w.startsAt.getTime())
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The end must be after the start" });
    const drained = new Set(w.hostIds);
    if (drained.size !== w.hostIds.length)
      ctx.addIssue({ code: "custom", path: ["hostIds"], message: "A host is listed twice" });
    if (w.excludedHostIds.some((id) => drained.has(id))) {
      ctx.addIssue({
        code: "custom",
        path: ["excludedHostIds"],
        message: "A drained host is never a destination anyway: do not also exclude it",
      });
    }
  });
export type CreateWindowInput = z.input<typeof createWindowInput>;

export const windowIdInput = z.object({ windowId: uuid });

/**
 * Parses the form's anti-affinity text, one group per line: `db-pair: vm-db1, vm-db2`. Blank lines
 * and `#` comments are ignored. Returns the groups or the first problem, with its line number.
 */
export function parseAntiAffinityText(
  text: string,
): { ok: true; groups: AntiAffinityGroups } | { ok: false; error: string } {
  const groups: Record<string, string[]> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").replace(/#.*$/, "").trim();
    if (!line) continue;
    const m = /^([^:]+):(.*)$/.exec(line);
    if (!m) return { ok: false, error: `Line ${i + 1}: write "group: vm-a, vm-b"` };
    const name = (m[1] ?? "").trim();
    const vms = (m[2] ?? "")
      .split(/[,\s]+/)
      .map((v) => v.trim())
      .filter(Boolean);
    if (groups[name]) return { ok: false, error: `Line ${i + 1}: group ${name} appears twice` };
    groups[name] = vms;
  }
  const parsed = antiAffinityGroups.safeParse(groups);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "Not valid groups" };
  return { ok: true, groups: parsed.data };
}
