// Is this error Postgres being unreachable (restarting, down, connection cut), as opposed to a
// query that failed? Prisma (through adapter-pg) surfaces both as plain errors, so the driver's
// codes and texts are what tell them apart.
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|Connection ended|not currently accepting connections|Can't reach database|database system is (shutting down|starting up|not yet accepting)|terminating connection|Client has encountered a connection error|server closed the connection/i;

export function isDatabaseUnavailable(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 5; depth++) {
    const err = x as { code?: unknown; message?: unknown; cause?: unknown };
    if (
      err.code === "P1001" ||
      err.code === "P1017" ||
      err.code === "ECONNREFUSED" ||
      err.code === "57P01" ||
      err.code === "57P03"
    )
      return true;
    if (typeof err.message === "string" && UNAVAILABLE.test(err.message)) return true;
    x = err.cause;
  }
  return false;
}
