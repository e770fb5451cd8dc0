"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { HostConnectionFields } from "./host-connection-fields";
import { useAddHost } from "./use-add-host";

export function AddHostForm() {
  const { formRef, errors, result, pending, onSubmit } = useAddHost();

  return (
    <form
      ref={formRef}
      aria-labelledby="add-host-heading"
      className="space-y-3 rounded border border-slate-800 p-4"
      onSubmit={onSubmit}
    >
      <h2 id="add-host-heading" className="font-semibold">
        Add a hypervisor
      </h2>
      <HostConnectionFields errors={errors} />
      <Field
        label="Shared storage"
        htmlFor="sharedStoragePrefixes"
        error={errors.sharedStoragePrefixes ?? errors["sharedStoragePrefixes.0"]}
        hint="Directories every host sees (NFS, Ceph…), comma-separated: disks under them are not copied"
      >
        <TextInput
          id="sharedStoragePrefixes"
          name="sharedStoragePrefixes"
          placeholder="/mnt/shared/"
          invalid={!!errors.sharedStoragePrefixes}
        />
      </Field>
      <Field
        label="SSH private key"
        htmlFor="privateKey"
        error={errors.privateKey}
        hint="Stored encrypted; never shown again."
      >
        <TextArea
          id="privateKey"
          name="privateKey"
          rows={4}
          required
          placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          invalid={!!errors.privateKey}
        />
      </Field>
      {result && <Alert tone={result.tone}>{result.text}</Alert>}
      <Button type="submit" disabled={pending}>
        {pending ? "Contacting host…" : "Add host"}
      </Button>
    </form>
  );
}
