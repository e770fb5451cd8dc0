import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

// The one Prisma client, cached on globalThis so Next's dev reloads do not open new pools.
// Created on first use: `next build` imports server modules with no database configured.
const globalForDb = globalThis as unknown as { convoyDb?: PrismaClient };

function client(): PrismaClient {
  if (!globalForDb.convoyDb) {
    const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 });
    globalForDb.convoyDb = new PrismaClient({ adapter, omit: { host: { privateKeyEnc: true } } });
  }
  return globalForDb.convoyDb;
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** One interactive transaction (what server actions and the worker's multi-row writes run in). */
export function transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: { timeout?: number }): Promise<T> {
  return db.$transaction(fn, opts);
}

/** Closes the pool (scripts and the worker at exit). */
export function disconnectDb(): Promise<void> {
  return db.$disconnect();
}
