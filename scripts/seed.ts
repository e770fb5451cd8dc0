// Seeds users and registers the simulated fleet's hosts (pinned to the keys the simulator
// printed, as an admin would vouch for them in an inventory file). Idempotent.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { writeAudit } from "@/lib/db/audit";
import { db, disconnectDb, transaction } from "@/lib/db/client";
import { hostNames, moveHostAddress } from "@/lib/db/hosts";
import { passwordProblem } from "@/lib/auth/password-policy";
import { ensureUser, findUserByName } from "@/lib/db/users";
import { importInventory } from "@/lib/hosts/import-inventory";
import { loadFleetFile } from "@/sim/fleet-file";
import type { SimReady } from "./lib/stack";

const { values } = parseArgs({
  options: { users: { type: "string" }, sim: { type: "string" }, fleet: { type: "string" }, skip: { type: "string" } },
});

const SYSTEM = { id: null, name: "system:seed", role: null };

if (values.users) {
  const users = JSON.parse(readFileSync(values.users, "utf8")) as {
    username: string;
    role: "viewer" | "operator" | "admin";
    password?: string;
  }[];
  for (const u of users) {
    const password = u.password ?? randomBytes(12).toString("base64url");
    // A chosen password (CONVOY_ADMIN_PASSWORD) for a new user meets the console's policy too.
    const problem = passwordProblem(password, u.username);
    if (problem && !(await findUserByName(u.username)))
      throw new Error(`The password given for ${u.username} is refused: ${problem}`);
    if (await ensureUser(u.username, password, u.role)) {
      await writeAudit(db, {
        actor: SYSTEM,
        action: "user.create",
        result: "ok",
        targetType: "user",
        targetId: u.username,
        after: { role: u.role },
      });
      if (!u.password) {
        process.stdout.write(
          `\n  Sign in as ${u.username} / ${password}   (shown once; set CONVOY_ADMIN_PASSWORD to choose it)\n\n`,
        );
      }
    }
  }
}

if (values.sim) {
  const sim = JSON.parse(readFileSync(values.sim, "utf8")) as SimReady;
  const privateKey = readFileSync(sim.clientKey, "utf8");
  const known = new Set(await hostNames());
  // Hosts named in --skip stay unregistered (the e2e suite adds one through the UI).
  const skip = new Set((values.skip ?? "").split(",").filter(Boolean));
  const fleet = values.fleet ? loadFleetFile(values.fleet) : null;
  const nicGbps = new Map(fleet?.hosts.map((h) => [h.name, h.nicGbps]) ?? []);
  const missing = sim.hosts.filter((h) => !known.has(h.name) && !skip.has(h.name));
  if (missing.length) {
    const inventory = {
      hosts: missing.map((h) => ({
        name: h.name,
        address: h.address,
        port: h.port,
        sshUser: "root",
        privateKey,
        hostKeyFingerprint: h.fingerprint,
        nicGbps: nicGbps.get(h.name) ?? 10,
        sharedStoragePrefixes: fleet ? [fleet.sharedStoragePrefix] : [],
      })),
    };
    await importInventory(
      JSON.stringify(inventory),
      (fn, audit) =>
        transaction(
          async (tx) => {
            const r = await fn(tx);
            await writeAudit(tx, {
              actor: SYSTEM,
              action: "host.import",
              result: "ok",
              ...(typeof audit === "function" ? audit(r) : audit),
            });
            return r;
          },
          { timeout: 120_000 },
        ), // the load bench registers 500 hosts at once
    );
    process.stdout.write(`[seed] registered ${missing.length} simulated hosts\n`);
  }
  // Ports of a restarted simulator may differ from the last run: follow them.
  for (const h of sim.hosts) {
    await moveHostAddress(h.name, h.address, h.port);
  }
}

await disconnectDb();
