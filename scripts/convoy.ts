// `npm run convoy -- <command>`: Convoy's production commands, against an external Postgres
// (DATABASE_URL is required: nothing embedded, no simulator). README "Run it in production".
//   migrate                      apply the schema migrations (run before starting a new version)
//   create-user NAME ROLE        create a user; the password is read from CONVOY_NEW_PASSWORD or stdin
//   web [--port P] [--host H]    serve the console (after `npm run build`)
//   worker                       run a worker (as many as you like, on any machine)
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..");
const ROLES = ["viewer", "operator", "admin"] as const;

function fail(message: string): never {
  process.stderr.write(`convoy: ${message}\n`);
  process.exit(2);
}

/** Runs a long-lived child in the foreground: signals go to it, its exit code is ours. */
function foreground(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const child = spawn(command, args, { stdio: "inherit", env, cwd: ROOT });
  for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

async function readPassword(): Promise<string> {
  if (process.env.CONVOY_NEW_PASSWORD) return process.env.CONVOY_NEW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password: ");
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

const [command, ...rest] = process.argv.slice(2);
if (!process.env.DATABASE_URL) fail("DATABASE_URL is not set (postgresql://user:password@host:5432/convoy)");
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

switch (command) {
  case "migrate": {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/prisma.mjs"), "migrate", "deploy"], {
      stdio: "inherit",
      env,
      cwd: ROOT,
    });
    process.exit(r.status ?? 1);
    break;
  }
  case "create-user": {
    const [username, role] = rest;
    if (!username || !ROLES.includes(role as (typeof ROLES)[number]))
      fail(`usage: create-user NAME ${ROLES.join("|")}`);
    const password = await readPassword();
    const { createUserFromCli } = await import("./lib/create-user");
    const outcome = await createUserFromCli(username, password, role as (typeof ROLES)[number]);
    process.stdout.write(`${outcome}\n`);
    process.exit(0);
    break;
  }
  case "web": {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string", default: process.env.PORT ?? "3000" },
        host: { type: "string", default: "0.0.0.0" },
      },
    });
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) fail("no production build: run `npm run build` first");
    // scripts/web-server.ts is `next start` that also pins X-Forwarded-For to the socket's address.
    foreground(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(ROOT, "scripts/web-server.ts"),
        "-H",
        values.host ?? "0.0.0.0",
        "-p",
        values.port ?? "3000",
      ],
      { ...env, NODE_ENV: "production" },
    );
    break;
  }
  case "worker":
    foreground(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "lib/worker/main.ts")],
      { ...env, NODE_ENV: "production" },
    );
    break;
  default:
    fail("usage: convoy migrate | create-user NAME ROLE | web [--port P] [--host H] | worker");
}
