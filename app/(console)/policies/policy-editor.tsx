"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { savePolicyAction } from "@/lib/actions/policies";
import { displayName } from "@/lib/format";

export function PolicyEditor({ initial, canEdit }: { initial: string; canEdit: boolean }) {
  const router = useRouter();
  const [json, setJson] = useState(initial);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();
  if (!canEdit) return <pre className="overflow-x-auto rounded bg-slate-900 p-2 text-xs">{initial}</pre>;
  return (
    <div className="space-y-2">
      <textarea
        aria-label="Policy JSON"
        value={json}
        onChange={(e) => setJson(e.currentTarget.value)}
        rows={Math.min(20, json.split("\n").length + 1)}
        className="w-full rounded border border-slate-700 bg-slate-900 p-2 font-mono text-xs"
      />
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await savePolicyAction({ json });
            setMessage(
              res.ok
                ? { tone: "success", text: `Saved ${displayName(res.data.name)}.` }
                : { tone: "error", text: res.message },
            );
            if (res.ok) router.refresh();
          })
        }
      >
        Save policy
      </Button>
    </div>
  );
}
