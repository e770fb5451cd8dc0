// Canary rows for the page/route leak tests: one row with a unique string in every table a page or
// route shows (hosts and their key history, VMs, a finished migration with an event, a maintenance window with its move
// and alert, a policy, a user, an audit row). Planted with SQL, removed afterwards. The hosts are
// `disabled`, so the worker never connects to them.
import { randomBytes, randomUUID } from "node:crypto";

type Sql = (text: string, params?: unknown[]) => Promise<unknown[]>;

export type Canary = { text: string; ids: Record<"host" | "vm" | "migration" | "window" | "policy" | "user", string> };

export async function plantCanary(sql: Sql): Promise<Canary> {
  const text = `cnry${randomBytes(6).toString("hex")}`;
  const id = () => randomUUID();
  const [hostA, hostB, vm, vmUuid, migration, window, policy, user] = [id(), id(), id(), id(), id(), id(), id(), id()];
  const options = {
    maxDowntimeMs: 300,
    autoConverge: { enabled: true, initial: 20, increment: 10 },
    postcopy: false,
    copyStorage: false,
    compressed: false,
    tls: false,
    persistent: true,
    undefineSource: true,
  };
  const started = new Date(Date.now() - 3_600_000);
  const ended = new Date(Date.now() - 3_500_000);
  for (const [hid, suffix] of [
    [hostA, "a"],
    [hostB, "b"],
  ])
    await sql(
      `INSERT INTO "Host" (id, name, address, "sshUser", "privateKeyEnc", status, "cpuModel", "updatedAt") VALUES ($1, $2, '192.0.2.10', 'root', 'x', 'disabled', $3, now())`,
      [hid, `${text}-hv-${suffix}`, `${text}-cpu`],
    );
  await sql(`INSERT INTO "HostKeyEvent" ("hostId", kind, fingerprint, "actorName") VALUES ($1, 'pin', $2, $3)`, [
    hostA,
    `SHA256:${text}-key`,
    `${text}-pinner`,
  ]);
  await sql(
    `INSERT INTO "Vm" (id, "hostId", uuid, name, state, vcpus, "memoryBytes") VALUES ($1, $2, $3, $4, 'running', 1, 1073741824)`,
    [vm, hostA, vmUuid, `${text}-vm`],
  );
  await sql(`INSERT INTO "EscalationPolicy" (id, name, steps, "updatedAt") VALUES ($1, $2, '[]', now())`, [
    policy,
    `${text}-policy`,
  ]);
  await sql(
    `INSERT INTO "MaintenanceWindow" (id, name, "startsAt", "endsAt", state, "policyId", "startedAt", "endedAt") VALUES ($1, $2, $3, $4, 'completed', $5, $3, $4)`,
    [window, `${text}-window`, started, ended, policy],
  );
  await sql(`INSERT INTO "WindowHost" ("windowId", "hostId") VALUES ($1, $2)`, [window, hostA]);
  await sql(
    `INSERT INTO "LiveMigration" (id, "vmUuid", "vmName", "sourceHostId", "destHostId", state, options, "memoryBytes", vcpus, "windowId", "createdAt", "startedAt", "endedAt", "totalTimeMs", "downtimeMs")
     VALUES ($1, $2, $3, $4, $5, 'completed', $6, 1073741824, 1, $7, $8, $8, $9, 100000, 120)`,
    [migration, vmUuid, `${text}-vm`, hostA, hostB, JSON.stringify(options), window, started, ended],
  );
  await sql(`INSERT INTO "MigrationEvent" ("migrationId", source, type, message) VALUES ($1, 'operator', 'note', $2)`, [
    migration,
    `${text}-event`,
  ]);
  await sql(
    `INSERT INTO "EvacuationMove" (id, "windowId", "vmUuid", "vmName", "sourceHostId", "destHostId", "order", "plannedStartMs", "plannedEndMs", state, "migrationId")
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 100000, 'completed', $7)`,
    [id(), window, vmUuid, `${text}-vm`, hostA, hostB, migration],
  );
  await sql(
    `INSERT INTO "AlertDelivery" (id, key, kind, "windowId", url, format, payload, "lastError", "gaveUpAt") VALUES ($1, $2, 'overdue', $3, 'https://example.invalid/hook', 'generic', '{}', $4, now())`,
    [id(), `${text}-alert`, window, `${text}-alert-error`],
  );
  await sql(`INSERT INTO "User" (id, username, "passwordHash", role, disabled) VALUES ($1, $2, 'x', 'viewer', true)`, [
    user,
    `${text}-user`,
  ]);
  // What an attacker typed at the login form lands in the audit log as the actor's name.
  await sql(
    `INSERT INTO "AuditLog" ("actorName", action, result, error) VALUES ($1, 'auth.login', 'denied', 'bad password')`,
    [`${text}-typed-at-login`],
  );
  return { text, ids: { host: hostA, vm, migration, window, policy, user } };
}

export async function removeCanary(sql: Sql, c: Canary): Promise<void> {
  await sql(`DELETE FROM "AlertDelivery" WHERE key = $1`, [`${c.text}-alert`]);
  await sql(`DELETE FROM "LiveMigration" WHERE id = $1`, [c.ids.migration]); // events cascade
  await sql(`DELETE FROM "MaintenanceWindow" WHERE id = $1`, [c.ids.window]); // moves, window hosts cascade
  await sql(`DELETE FROM "EscalationPolicy" WHERE id = $1`, [c.ids.policy]);
  await sql(`DELETE FROM "Host" WHERE name LIKE $1`, [`${c.text}-hv-%`]); // VMs cascade
  await sql(`DELETE FROM "User" WHERE id = $1`, [c.ids.user]);
  await sql(`DELETE FROM "AuditLog" WHERE "actorName" = $1`, [`${c.text}-typed-at-login`]);
}

/** The canary row each dynamic segment names, by the folder it sits in. */
const ID_FOR: Record<string, keyof Canary["ids"]> = {
  hosts: "host",
  migrations: "migration",
  vms: "vm",
  windows: "window",
};

/** A route with its dynamic segments filled with the canary rows' ids; a new kind of segment must add its row. */
export function concrete(route: string, c: Canary): string {
  return route.replace(/\/(\w+)\/\[(\w+)\]/g, (_, folder: string) => {
    const key = ID_FOR[folder];
    if (!key) throw new Error(`no canary row for a dynamic segment under /${folder}: add one to e2e/canary.ts`);
    return `/${folder}/${c.ids[key]}`;
  });
}
