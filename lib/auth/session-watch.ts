import "server-only";
import { db } from "@/lib/db/client";
import { sessionIsLive } from "@/lib/db/sessions";
import { log } from "@/lib/log";
import { getHub } from "@/lib/realtime/hub";

/** Long-lived responses (SSE) re-check their session at least this often, whatever the hub says. */
export const SESSION_RECHECK_MS = 10_000;

/**
 * Calls `onEnded` once when the session stops being valid: at once on a revocation NOTIFY for its
 * user (logout, sign out everywhere, disable, password change — from any web server), otherwise at
 * the next periodic re-check (expiry, or a NOTIFY lost while LISTEN was down). Returns a stop.
 */
export function watchSession(
  session: { id: string; sessionId: string },
  onEnded: () => void,
  everyMs = SESSION_RECHECK_MS,
): () => void {
  let stopped = false;
  const check = async () => {
    if (stopped) return;
    try {
      if (await sessionIsLive(db, session.sessionId)) return;
    } catch (e) {
      // Postgres unreachable: keep the stream (it carries nothing new meanwhile); check again later.
      log.warn("session re-check failed", { error: e });
      return;
    }
    if (stopped) return;
    stop();
    onEnded();
  };
  const timer = setInterval(() => void check(), everyMs);
  const unsubscribe = getHub().onSessionRevoked(session.id, () => void check());
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
  };
  return stop;
}
