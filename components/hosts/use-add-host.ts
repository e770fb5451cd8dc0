"use client";

// Submitting the "Add a hypervisor" form: the action's field errors go under their fields; on
// success the form is cleared and the fleet refetched, so the new host (and its key to confirm) shows.
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState, useTransition } from "react";
import { addHostAction } from "@/lib/actions/hosts";
import { displayName } from "@/lib/format";
import { queryKeys } from "@/lib/query-keys";

export type Errors = Record<string, string[] | undefined>;

export function useAddHost() {
  const qc = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const input = readAddHostForm(new FormData(e.currentTarget));
    start(async () => {
      const res = await addHostAction(input);
      if (res.ok) {
        setErrors({});
        setResult({
          tone: "success",
          text: `${displayName(res.data.name)} added. Confirm its host key ${res.data.fingerprint} above.`,
        });
        formRef.current?.reset();
        await qc.invalidateQueries({ queryKey: queryKeys.fleet });
      } else {
        setErrors(res.fieldErrors ?? {});
        setResult({ tone: "error", text: res.message });
      }
    });
  };

  return { formRef, errors, result, pending, onSubmit };
}

/** The form's values as the action's input (empty port and NIC speed take their defaults). */
function readAddHostForm(f: FormData) {
  const value = (k: string) => String(f.get(k) ?? "");
  return {
    name: value("name"),
    address: value("address"),
    port: Number(value("port") || 22),
    sshUser: value("sshUser"),
    privateKey: value("privateKey"),
    libvirtUri: value("libvirtUri"),
    migrationUriTemplate: value("migrationUriTemplate"),
    nicGbps: Number(value("nicGbps") || 10),
    sharedStoragePrefixes: value("sharedStoragePrefixes")
      .split(/[\s,]+/)
      .filter(Boolean),
  };
}
