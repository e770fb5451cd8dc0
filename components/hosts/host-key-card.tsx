"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { confirmHostKeyAction, probeHostKeyAction } from "@/lib/actions/hosts";
import type { FleetHost } from "@/lib/schemas/wire";
import { queryKeys } from "@/lib/query-keys";
import { displayName } from "@/lib/format";

/** Trust on first use with an explicit decision: show the fingerprint, let the admin confirm it. */
export function HostKeyCard({ host, isAdmin }: { host: FleetHost; isAdmin: boolean }) {
  const qc = useQueryClient();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();
  const mismatch = host.lastErrorKind === "host-key";

  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, success: string) =>
    start(async () => {
      const res = await fn();
      setMessage(res.ok ? { tone: "success", text: success } : { tone: "error", text: res.message ?? "Failed" });
      await qc.invalidateQueries({ queryKey: queryKeys.fleet });
    });

  return (
    <div className="space-y-2 rounded border border-amber-800 bg-amber-950/20 p-3" data-key-card={host.name}>
      <div className="font-medium">
        {displayName(host.name)}{" "}
        <span className="text-slate-400">
          ({host.address}:{host.port})
        </span>
      </div>
      {mismatch && <Alert>{host.lastError}</Alert>}
      {host.pendingFingerprint ? (
        <p className="text-sm">
          Host key fingerprint offered by the host:{" "}
          <code className="break-all rounded bg-slate-900 px-1 py-0.5" data-testid="pending-fingerprint">
            {host.pendingFingerprint}
          </code>
          <br />
          <span className="text-xs text-slate-400">
            Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the host before confirming.
          </span>
        </p>
      ) : (
        <p className="text-sm text-slate-400">
          {mismatch ? "Probe the host to see the key it offers now." : "Waiting for the key to be read…"}
        </p>
      )}
      {isAdmin && (
        <div className="flex gap-2">
          {host.pendingFingerprint && (
            <Button
              disabled={pending}
              onClick={() =>
                run(
                  () => confirmHostKeyAction({ hostId: host.id, fingerprint: host.pendingFingerprint ?? "" }),
                  "Host key pinned. Inventory will refresh shortly.",
                )
              }
            >
              Confirm this key
            </Button>
          )}
          <Button
            variant="secondary"
            disabled={pending}
            onClick={() => run(() => probeHostKeyAction({ hostId: host.id }), "Read the host's current key.")}
          >
            Probe key again
          </Button>
        </div>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </div>
  );
}
