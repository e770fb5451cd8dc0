// `convoy create-user`: the first admin of a production install (and break-glass accounts), with the
// same input rules as the Users page's action, and an audit row naming the command line.
import type { Role } from "@/lib/auth/roles";
import { writeAudit } from "@/lib/db/audit";
import { db, disconnectDb } from "@/lib/db/client";
import { ensureUser } from "@/lib/db/users";
import { createUserInput } from "@/lib/schemas/auth";

export async function createUserFromCli(username: string, password: string, role: Role): Promise<string> {
  const parsed = await createUserInput.safeParseAsync({ username, password, role });
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    process.stderr.write(`convoy: refused: ${why}\n`);
    process.exit(2);
  }
  const created = await ensureUser(parsed.data.username, parsed.data.password, parsed.data.role);
  await writeAudit(db, {
    actor: { id: null, name: "system:cli", role: null },
    action: "user.create",
    result: created ? "ok" : "invalid",
    targetType: "user",
    targetId: parsed.data.username,
    after: { role: parsed.data.role },
    ...(created ? {} : { error: "user already exists" }),
  });
  await disconnectDb();
  return created
    ? `created ${parsed.data.role} ${parsed.data.username}`
    : `${parsed.data.username} already exists (unchanged)`;
}
