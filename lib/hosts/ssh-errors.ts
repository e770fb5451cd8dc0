import "server-only";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { describeSshError, SshError } from "@/lib/ssh/errors";

const CODE_FOR_KIND: Record<SshError["kind"], AppErrorCode> = {
  auth: "SSH_AUTH",
  "host-key": "HOST_KEY_MISMATCH",
  timeout: "SSH_TIMEOUT",
  unreachable: "SSH_UNREACHABLE",
  exit: "REMOTE_ERROR",
};

/** SSH failures are the user's business (a wrong key, a closed port): show them, as AppErrors. */
export function asAppError(e: unknown): unknown {
  if (e instanceof SshError) return new AppError(CODE_FOR_KIND[e.kind], describeSshError(e));
  return e;
}
