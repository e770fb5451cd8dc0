// Errors the user is meant to read. Anything else is logged and shown as a generic message,
// so Prisma, SSH or stack details never reach the browser.
export type AppErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "INVALID"
  | "NOT_FOUND"
  | "CONFLICT"
  | "SSH_UNREACHABLE"
  | "SSH_AUTH"
  | "HOST_KEY_MISMATCH"
  | "SSH_TIMEOUT"
  | "REMOTE_ERROR"
  | "RATE_LIMITED"
  | "UNAVAILABLE";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const GENERIC_ERROR = "Something went wrong on the server. It has been logged.";
