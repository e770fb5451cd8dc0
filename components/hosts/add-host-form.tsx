"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { addHostAction } from "@/lib/actions/hosts";
import { queryKeys } from "@/lib/query-keys";
import { displayName } from "@/lib/format";

type Errors = Record<string, string[] | undefined>;

export function AddHostForm() {
  const qc = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [result, setResult] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();

  return (
    <form
      ref={formRef}
      aria-labelledby="add-host-heading"
      className="space-y-3 rounded border border-slate-800 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const value = (k: string) => String(f.get(k) ?? "");
        start(async () => {
          const res = await addHostAction({
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
          });
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
      }}
    >
      <h2 id="add-host-heading" className="font-semibold">
        Add a hypervisor
      </h2>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Name" htmlFor="name" error={errors.name}>
          <TextInput id="name" name="name" required placeholder="hv07" invalid={!!errors.name} />
        </Field>
        <Field label="Address" htmlFor="address" error={errors.address}>
          <TextInput
            id="address"
            name="address"
            required
            placeholder="10.0.0.7 or hv07.example"
            invalid={!!errors.address}
          />
        </Field>
        <Field label="SSH port" htmlFor="port" error={errors.port}>
          <TextInput
            id="port"
            name="port"
            type="number"
            defaultValue={22}
            min={1}
            max={65535}
            invalid={!!errors.port}
          />
        </Field>
        <Field label="SSH user" htmlFor="sshUser" error={errors.sshUser}>
          <TextInput id="sshUser" name="sshUser" defaultValue="root" invalid={!!errors.sshUser} />
        </Field>
        <Field label="libvirt URI" htmlFor="libvirtUri" error={errors.libvirtUri}>
          <TextInput id="libvirtUri" name="libvirtUri" defaultValue="qemu:///system" invalid={!!errors.libvirtUri} />
        </Field>
        <Field
          label="Migration URI template"
          htmlFor="migrationUriTemplate"
          error={errors.migrationUriTemplate}
          hint="{host} becomes the destination's name"
        >
          <TextInput
            id="migrationUriTemplate"
            name="migrationUriTemplate"
            defaultValue="qemu+ssh://{host}/system"
            invalid={!!errors.migrationUriTemplate}
          />
        </Field>
        <Field label="Migration NIC (Gbit/s)" htmlFor="nicGbps" error={errors.nicGbps}>
          <TextInput
            id="nicGbps"
            name="nicGbps"
            type="number"
            step="any"
            defaultValue={10}
            invalid={!!errors.nicGbps}
          />
        </Field>
      </div>
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
