import "server-only";
import { AppError } from "@/lib/errors";

// scrypt runs on libuv's thread pool (4 threads) and costs ~50 ms of CPU each: a burst of sign-ins
// would take every thread and both cores, and pages, health checks and Postgres connects queue
// behind them. At most SLOTS hashes run at once, QUEUE more wait; beyond that the caller is told
// to retry at once, so a flood of anonymous sign-ins never starves the console.
const SLOTS = 2;
const QUEUE = 16;
export const BUSY_MESSAGE = "Convoy is busy signing other people in. Retry in a few seconds.";

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `fn` (a password hash or check) in one of the bounded slots, or throws UNAVAILABLE when full. */
export async function withHashSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) {
    if (waiting.length >= QUEUE) throw new AppError("UNAVAILABLE", BUSY_MESSAGE);
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    // Hand the slot straight to the next waiter (running stays the same), or free it.
    if (next) next();
    else running--;
  }
}
