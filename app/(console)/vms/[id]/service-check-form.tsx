"use client";
// An admin's optional TCP check of the VM's service: after every landing Convoy connects to it
// before calling the guest healthy (README, "Guest health after landing").
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { setServiceCheckAction } from "@/lib/actions/vms";

export function ServiceCheckForm({ vmUuid, vmName, initial }: { vmUuid: string; vmName: string; initial: string }) {
  const router = useRouter();
  const [target, setTarget] = useState(initial);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();
  return (
    <section aria-labelledby="service-check-heading" className="space-y-2 rounded border border-slate-800 p-3">
      <h2 id="service-check-heading" className="text-sm font-semibold">
        Service check after landing
      </h2>
      <label className="block text-sm text-slate-300" htmlFor="service-check">
        TCP host:port that must answer once the VM has landed (empty: none)
      </label>
      <div className="flex gap-2">
        <input
          id="service-check"
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
          placeholder="10.0.0.5:443"
          className="w-64 rounded border border-slate-700 bg-slate-900 px-2 py-1 font-mono text-sm"
        />
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const res = await setServiceCheckAction({ vmUuid, vmName, target });
              setMessage(
                res.ok
                  ? {
                      tone: "success",
                      text: res.data.target ? `Checks ${res.data.target} after each landing.` : "No service check.",
                    }
                  : { tone: "error", text: res.message },
              );
              if (res.ok) router.refresh();
            })
          }
        >
          Save check
        </Button>
      </div>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </section>
  );
}
