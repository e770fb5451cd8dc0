"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { revokeUserSessionsAction, setUserDisabledAction } from "@/lib/actions/users";

/** An admin's buttons on one user's row: end their sessions, disable or re-enable them. */
export function UserAdminButtons({
  userId,
  username,
  disabled,
  isSelf,
}: {
  userId: string;
  username: string;
  disabled: boolean;
  isSelf: boolean;
}) {
  const router = useRouter();
  const [note, setNote] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (
    fn: () => Promise<{ ok: true; data: { sessionsEnded: number } } | { ok: false; message: string }>,
    done: string,
  ) =>
    start(async () => {
      const res = await fn();
      setNote(
        res.ok
          ? `${done} (${res.data.sessionsEnded} session${res.data.sessionsEnded === 1 ? "" : "s"} ended)`
          : res.message,
      );
      router.refresh();
    });
  return (
    <span className="ml-auto flex items-center gap-2">
      {note && <span className="text-xs text-slate-400">{note}</span>}
      <Button
        variant="secondary"
        disabled={pending}
        aria-label={`Sign ${username} out everywhere`}
        onClick={() => run(() => revokeUserSessionsAction({ userId }), "Signed out")}
      >
        Sign out everywhere
      </Button>
      {!isSelf && (
        <Button
          variant={disabled ? "secondary" : "danger"}
          disabled={pending}
          aria-label={`${disabled ? "Enable" : "Disable"} ${username}`}
          onClick={() =>
            run(() => setUserDisabledAction({ userId, disabled: !disabled }), disabled ? "Enabled" : "Disabled")
          }
        >
          {disabled ? "Enable" : "Disable"}
        </Button>
      )}
    </span>
  );
}
