import { z } from "zod";

// Shared by the forms (zodResolver-free: plain client checks) and the server actions.
export const hostName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    "Letters, digits, '.', '_' or '-' (max 63), starting with a letter or digit",
  );
export const hostAddress = z
  .string()
  .trim()
  .min(1, "Required")
  .max(253)
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, "A DNS name or an IP address");
export const sshUser = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, "A POSIX user name");
export const privateKey = z
  .string()
  .max(16_384, "Too long for an SSH private key")
  .refine(
    (k) => /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/.test(k),
    "Paste an unencrypted private key in OpenSSH or PEM format",
  );
export const libvirtUri = z
  .string()
  .trim()
  .max(2_048)
  .regex(
    /^qemu(\+(ssh|tcp|tls|unix))?:\/\/[A-Za-z0-9.:@_-]*\/(system|session)(\?[A-Za-z0-9=&_./-]*)?$/,
    "A libvirt URI such as qemu:///system",
  );
export const migrationUriTemplate = z
  .string()
  .trim()
  .max(2_048)
  .regex(
    /^qemu\+(ssh|tcp|tls):\/\/[A-Za-z0-9.:@_{}-]*\/system(\?[A-Za-z0-9=&_./-]*)?$/,
    "A libvirt URI such as qemu+ssh://{host}/system",
  )
  .refine((t) => t.includes("{host}"), "Must contain {host}");
export const fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "An OpenSSH SHA256 fingerprint");

export const hostFields = z.object({
  name: hostName,
  address: hostAddress,
  port: z.coerce.number().int().min(1).max(65_535).default(22),
  sshUser: sshUser.default("root"),
  privateKey,
  libvirtUri: libvirtUri.default("qemu:///system"),
  migrationUriTemplate: migrationUriTemplate.default("qemu+ssh://{host}/system"),
  nicGbps: z.coerce.number().positive().max(800).default(10),
  sharedStoragePrefixes: z
    .array(
      z
        .string()
        .trim()
        .max(4_096)
        .regex(/^\/[A-Za-z0-9._/-]*$/, "An absolute directory path"),
    )
    .max(20)
    .default([]),
});

export const addHostInput = hostFields;
export type AddHostInput = z.input<typeof addHostInput>;

export const confirmHostKeyInput = z.object({ hostId: z.string().uuid(), fingerprint });
export const hostIdInput = z.object({ hostId: z.string().uuid() });
export const hostMaintenanceInput = z.object({ hostId: z.string().uuid(), maintenance: z.boolean() });
/** The host page's migrations list: 1-based page. */
export const hostPageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }).strict();

// Inventory files: the same fields per host, plus an optional fingerprint the admin vouches for.
export const inventoryFile = z.object({
  hosts: z
    .array(hostFields.extend({ hostKeyFingerprint: fingerprint.optional() }))
    .min(1)
    .max(2_000),
});
export const importInventoryInput = z.object({ text: z.string().min(1, "The file is empty").max(5_000_000) });
