import "server-only";
import { AppError } from "@/lib/errors";

// Per-user-name failure counter (in memory, per web server): slows password guessing without
// letting an attacker lock a real operator out for long.
const WINDOW_MS = 5 * 60_000;
const MAX_FAILURES = 10;
const failures = new Map<string, number[]>();

export function checkLoginRate(username: string): void {
  const recent = (failures.get(username) ?? []).filter((t) => Date.now() - t < WINDOW_MS);
  failures.set(username, recent);
  if (recent.length >= MAX_FAILURES) {
    throw new AppError("RATE_LIMITED", "Too many failed sign-ins for this user; wait a few minutes.");
  }
}

export function recordLoginFailure(username: string): void {
  if (failures.size > 10_000) failures.clear();
  failures.set(username, [...(failures.get(username) ?? []), Date.now()]);
}
