"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { importInventoryAction } from "@/lib/actions/hosts";
import { queryKeys } from "@/lib/query-keys";

export function ImportInventoryForm() {
  const qc = useQueryClient();
  const [text, setText] = useState("");
  const [result, setResult] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();

  return (
    <form
      aria-labelledby="import-heading"
      className="space-y-3 rounded border border-slate-800 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const res = await importInventoryAction({ text });
          if (res.ok) {
            setResult({
              tone: "success",
              text: `Imported ${res.data.created.length} hosts: ${res.data.created.map((c) => c.name).join(", ")}`,
            });
            setText("");
            await qc.invalidateQueries({ queryKey: queryKeys.fleet });
          } else {
            setResult({ tone: "error", text: res.fieldErrors?.text?.join(" ") ?? res.message });
          }
        });
      }}
    >
      <h2 id="import-heading" className="font-semibold">
        Import an inventory file
      </h2>
      <p className="text-xs text-slate-400">
        YAML or JSON with a <code>hosts:</code> list (see the README). All hosts are imported, or none.
      </p>
      <input
        type="file"
        accept=".yaml,.yml,.json,text/yaml,application/json"
        aria-label="Inventory file"
        className="block text-sm"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          if (file) setText(await file.text());
        }}
      />
      <Field label="Or paste it" htmlFor="inventoryText">
        <TextArea
          id="inventoryText"
          rows={8}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder={
            "hosts:\n  - name: hv01\n    address: 10.0.0.1\n    privateKey: |\n      -----BEGIN OPENSSH PRIVATE KEY-----"
          }
        />
      </Field>
      {result && <Alert tone={result.tone}>{result.text}</Alert>}
      <Button type="submit" disabled={pending || !text.trim()}>
        {pending ? "Importing…" : "Import"}
      </Button>
    </form>
  );
}
