// The stack Playwright tests against: a fresh database, the e2e fleet (sim/fleets/e2e.yaml) at 20×,
// the worker and the built console. Writes .data/e2e/state.json for the tests, and serves a
// loopback-only control port so fault tests can kill and restart the worker.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_IDP_ROLE_MAP, E2E_IDP_USERS, E2E_USERS } from "../e2e/users";
import { startStack } from "./lib/stack";
import { startTestIdp } from "./lib/test-idp";
import { serveTestControl } from "./lib/test-control";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "e2e");
const port = Number(process.env.E2E_PORT ?? 3100);
const stateFile = path.join(dataDir, "state.json");
mkdirSync(dataDir, { recursive: true });
rmSync(stateFile, { force: true }); // the tests wait for a fresh one
process.env.CONVOY_PROCESS_LOG = path.join(dataDir, "processes.log");
rmSync(process.env.CONVOY_PROCESS_LOG, { force: true });

// Webhook receivers in tests listen on loopback: allowed here only (lib/net/outbound-address.ts).
process.env.CONVOY_WEBHOOK_ALLOW ??= "127.0.0.1,::1";

// A real OpenID Connect provider for e2e/sso.spec.ts; the console signs in through it next to the
// local accounts. It listens on 127.0.0.1, which the console may reach only because it is allowed here.
const consoleUrl = `http://127.0.0.1:${port}`;
const idp = await startTestIdp({
  redirectUris: [`${consoleUrl}/api/auth/oidc/callback`],
  postLogoutUris: [`${consoleUrl}/login`],
  users: E2E_IDP_USERS,
});
Object.assign(process.env, {
  CONVOY_OIDC_ISSUER: idp.issuer,
  CONVOY_OIDC_CLIENT_ID: idp.clientId,
  CONVOY_OIDC_CLIENT_SECRET: idp.clientSecret,
  CONVOY_OIDC_REDIRECT_URL: `${consoleUrl}/api/auth/oidc/callback`,
  CONVOY_OIDC_NAME: "Test IdP",
  CONVOY_OIDC_SCOPES: "openid profile groups",
  CONVOY_OIDC_ROLE_MAP: JSON.stringify(E2E_IDP_ROLE_MAP),
  CONVOY_OIDC_NO_GROUP: "viewer",
  CONVOY_OIDC_ALLOW: "127.0.0.1",
});

const stack = await startStack({
  dataDir,
  pgPort: Number(process.env.E2E_PG_PORT ?? 54339),
  dbName: "convoy_e2e",
  fleetFile: path.join(root, "sim/fleets/e2e.yaml"),
  simBasePort: 0,
  simControlPort: 0,
  webPort: port,
  timeScale: 20,
  resetDatabase: true,
  users: E2E_USERS,
  workerEnv: { CONVOY_INVENTORY_INTERVAL_MS: "2000" },
  unregisteredHosts: ["hv3"], // hosts.spec adds it through the UI
});

const controlUrl = await serveTestControl(stack);

writeFileSync(
  stateFile,
  JSON.stringify(
    { url: stack.url, databaseUrl: stack.databaseUrl, sim: stack.sim, control: controlUrl, idp: idp.issuer },
    null,
    2,
  ),
);
process.stdout.write(`e2e stack ready at ${stack.url}\n`);
