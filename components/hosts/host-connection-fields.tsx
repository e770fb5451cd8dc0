import { Field, NumberField, TextInput } from "@/components/ui/field";
import type { Errors } from "./use-add-host";

/** How Convoy reaches a new host: its name and address, SSH, libvirt, and the migration link. */
export function HostConnectionFields({ errors }: { errors: Errors }) {
  return (
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
      <NumberField label="SSH port" id="port" name="port" defaultValue={22} min={1} max={65535} error={errors.port} />
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
      <NumberField
        label="Migration NIC"
        unit="Gbit/s"
        id="nicGbps"
        name="nicGbps"
        step="any"
        defaultValue={10}
        error={errors.nicGbps}
      />
    </div>
  );
}
