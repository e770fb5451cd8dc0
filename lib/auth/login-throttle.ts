import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { RateLimiterPostgres, type RateLimiterRes } from "rate-limiter-flexible";
import { usernameKey } from "@/lib/auth/username";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

// Sign-in throttling (docs/decisions/010-login-throttling.md). Counters live in Postgres
// ("LoginThrottle"), so every web server sees the same ones. Two limits, neither per user name
// alone — a user-wide lock would let anyone lock an operator out during an incident:
//  - per (user, address): FREE_FAILURES free tries, then each failure doubles the wait before the
//    next try from that address (2 s, 4 s … capped at 15 min); a success from there clears it;
//  - per address, whatever the names: ADDRESS_FAILURES failures per 10 minutes, then 15 minutes off.
export const FREE_FAILURES = 3;
const MAX_DELAY_S = 15 * 60;
const ADDRESS_FAILURES = 30;

export const delayAfter = (failures: number): number =>
  failures <= FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_S);

type Limiters = { userFailures: RateLimiterPostgres; userDelay: RateLimiterPostgres; address: RateLimiterPostgres };
const g = globalThis as unknown as { convoyLoginLimiters?: Limiters };

function limiters(): Limiters {
  if (!g.convoyLoginLimiters) {
    const storeClient = new pg.Pool({ connectionString: env().DATABASE_URL, max: 3 });
    // An idle connection that Postgres drops must not crash the web server; the pool reconnects.
    storeClient.on("error", (e) => log.warn("sign-in throttle connection lost", { error: e }));
    const common = { storeClient, storeType: "pool", tableName: "LoginThrottle", tableCreated: true };
    g.convoyLoginLimiters = {
      // Counts failures for a day; the points limit is never reached, the count sets the delay.
      userFailures: new RateLimiterPostgres({ ...common, keyPrefix: "uf", points: 1_000_000, duration: 24 * 3600 }),
      // Holds only blocks (block() sets points above the limit until the delay passes).
      userDelay: new RateLimiterPostgres({ ...common, keyPrefix: "ud", points: 1, duration: 1 }),
      address: new RateLimiterPostgres({
        ...common,
        keyPrefix: "ad",
        points: ADDRESS_FAILURES,
        duration: 600,
        blockDuration: 900,
      }),
    };
  }
  return g.convoyLoginLimiters;
}

// Keys are hashed: a typed user name can be long and the table's key is varchar(255).
const userKey = (username: string, address: string) =>
  createHash("sha256")
    .update(`${usernameKey(username)}\0${address}`)
    .digest("hex");

const blockedFor = (res: RateLimiterRes | null, points: number) =>
  res && res.consumedPoints > points ? res.msBeforeNext : 0;

/** Throws RATE_LIMITED (with the wait) when this address, or this user from this address, must wait. */
export async function checkLoginAllowed(username: string, address: string): Promise<void> {
  const l = limiters();
  const [byAddress, byUser] = await Promise.all([l.address.get(address), l.userDelay.get(userKey(username, address))]);
  const waitMs = Math.max(blockedFor(byAddress, ADDRESS_FAILURES), blockedFor(byUser, 1));
  if (waitMs > 0) {
    const s = Math.ceil(waitMs / 1000);
    throw new AppError(
      "RATE_LIMITED",
      `Too many failed sign-ins from your address. Wait ${s} second${s === 1 ? "" : "s"} and try again.`,
    );
  }
}

/** Counts a failure and arms the next delay. */
export async function recordLoginFailure(username: string, address: string): Promise<void> {
  const l = limiters();
  const key = userKey(username, address);
  const [failures] = await Promise.all([l.userFailures.penalty(key, 1), l.address.penalty(address, 1)]);
  const delay = delayAfter(failures.consumedPoints);
  if (delay > 0) await l.userDelay.block(key, delay);
  const byAddress = await l.address.get(address);
  if (byAddress && byAddress.consumedPoints > ADDRESS_FAILURES) await l.address.block(address, 900);
}

/** A successful sign-in clears that user's counters from that address (not the address's). */
export async function recordLoginSuccess(username: string, address: string): Promise<void> {
  const l = limiters();
  const key = userKey(username, address);
  await Promise.all([l.userFailures.delete(key), l.userDelay.delete(key)]);
}
