// The fleet description (YAML): which simulated hypervisors exist and which VMs run where.
// Validated with zod so a typo in a fleet file fails at start-up with the path of the bad field,
// not later as a confusing virsh answer.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CPU_MODELS } from "./model/cpu-models";

const hostName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, "must be a hostname label (letters, digits, '-')");
// libvirt accepts almost anything, but the sim's names end up in shell lines and URIs of tests:
// fleets keep to this unless they set `hostileNames` (then any name without NUL, even ones real
// libvirt would refuse, so Convoy's handling of them is tested).
const PLAIN_DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
const domainName = z
  .string()
  .min(1)
  .max(1_000_000)
  .refine((n) => !n.includes("\0"), "must not contain NUL");

/** What a hostile host prints instead of a virsh command's real answer: `text` repeated `repeat` times. */
export const outputOverrideSchema = z
  .object({
    text: z.string().default(""),
    repeat: z
      .number()
      .int()
      .min(1)
      .max(64 * 1_048_576)
      .default(1),
    exitCode: z.number().int().min(0).max(255).default(0),
  })
  .strict();
const version = z.string().regex(/^\d+\.\d+\.\d+$/, "must look like 9.0.0");

export const hostFaultsSchema = z
  .object({
    /** Host unreachable: SSH listener closed, sessions dropped, migrations to/from it fail. */
    down: z.boolean().default(false),
    /** sshd refuses connections; libvirt and the VMs keep running. */
    sshRefused: z.boolean().default(false),
    /** TCP accepted but the SSH banner never comes. */
    hang: z.boolean().default(false),
    /** Migration network down: in-flight migrations fail, new ones cannot connect. */
    linkDown: z.boolean().default(false),
    /** libvirtd is not running: every virsh on the host fails to connect; the guests keep running. */
    libvirtdDown: z.boolean().default(false),
  })
  .strict();

export const hostSchema = z
  .object({
    name: hostName,
    cpuModel: z.enum(CPU_MODELS),
    cores: z.number().int().min(1).max(1024),
    memoryGiB: z.number().positive().max(65536),
    nicGbps: z.number().positive().max(1000),
    // Memory the host OS and libvirtd keep for themselves: never offered to guests.
    reservedMiB: z.number().int().min(0).default(1024),
    libvirtVersion: version.default("9.0.0"),
    qemuVersion: version.default("7.2.0"),
    faults: hostFaultsSchema.optional(),
    /** virsh subcommand → the output printed instead (hostile fleets: garbage, huge, binary). */
    outputs: z.record(z.string(), outputOverrideSchema).optional(),
  })
  .strict();

export const diskSchema = z
  .object({
    target: z.string().regex(/^(vd|sd|hd|xvd)[a-z]{1,3}$/, "must be a disk target such as vda"),
    sizeGiB: z
      .number()
      .positive()
      .max(1 << 20),
    storage: z.enum(["shared", "local"]),
    readonly: z.boolean().default(false),
  })
  .strict();

export const PROFILES = ["idle", "web", "database", "stress"] as const;
export type ProfileName = (typeof PROFILES)[number];

export const vmSchema = z
  .object({
    name: domainName,
    host: hostName,
    vcpus: z.number().int().min(1).max(512),
    // libvirt keeps memory in KiB: 72,000 MB (10^6 bytes) is 70312500 KiB = 68664.55078125 MiB,
    // so fractional MiB are allowed as long as they are whole KiB.
    memoryMiB: z
      .number()
      .positive()
      .refine((m) => Number.isInteger(m * 1024), "must be a whole number of KiB (MiB × 1024 integer)"),
    profile: z.enum(PROFILES),
    disks: z.array(diskSchema).default([]),
    state: z.enum(["running", "paused", "shut off"]).default("running"),
  })
  .strict();

export const fleetSchema = z
  .object({
    hosts: z.array(hostSchema).min(1),
    vms: z.array(vmSchema).default([]),
    sharedStoragePrefix: z
      .string()
      .regex(/^\/(.*\/)?$/, "must be an absolute directory path ending in '/'")
      .default("/mnt/shared/"),
    seed: z.number().int().default(1),
    hostileNames: z.boolean().default(false),
    timeScale: z.number().positive().max(100_000).default(1),
  })
  .strict()
  .superRefine((fleet, ctx) => {
    const hosts = new Map<string, number>();
    fleet.hosts.forEach((h, i) => {
      if (hosts.has(h.name))
        ctx.addIssue({ code: "custom", path: ["hosts", i, "name"], message: `duplicate host '${h.name}'` });
      hosts.set(h.name, i);
    });
    const names = new Set<string>();
    const usedMiB = new Map<string, number>();
    fleet.vms.forEach((vm, i) => {
      if (!fleet.hostileNames && !PLAIN_DOMAIN_NAME.test(vm.name)) {
        ctx.addIssue({ code: "custom", path: ["vms", i, "name"], message: "must be [A-Za-z0-9_.+-], max 64 chars" });
      }
      if (names.has(vm.name))
        ctx.addIssue({ code: "custom", path: ["vms", i, "name"], message: `duplicate VM '${vm.name}'` });
      names.add(vm.name);
      const hi = hosts.get(vm.host);
      if (hi === undefined) {
        ctx.addIssue({ code: "custom", path: ["vms", i, "host"], message: `unknown host '${vm.host}'` });
        return;
      }
      const targets = new Set<string>();
      vm.disks.forEach((d, j) => {
        if (targets.has(d.target)) {
          ctx.addIssue({
            code: "custom",
            path: ["vms", i, "disks", j, "target"],
            message: `duplicate target '${d.target}'`,
          });
        }
        targets.add(d.target);
      });
      if (vm.state === "shut off") return;
      // A running guest's RAM is allocated by its QEMU: a fleet that overcommits cannot start.
      const used = (usedMiB.get(vm.host) ?? 0) + vm.memoryMiB;
      usedMiB.set(vm.host, used);
      const host = fleet.hosts[hi];
      if (host && used > host.memoryGiB * 1024 - host.reservedMiB) {
        ctx.addIssue({
          code: "custom",
          path: ["vms", i, "memoryMiB"],
          message: `host '${vm.host}' offers ${host.memoryGiB * 1024 - host.reservedMiB} MiB to guests; its running VMs would need ${used} MiB`,
        });
      }
    });
  });

export type FleetSpec = z.infer<typeof fleetSchema>;
export type FleetInput = z.input<typeof fleetSchema>;
export type HostSpec = FleetSpec["hosts"][number];
export type VmSpec = FleetSpec["vms"][number];
export type DiskSpec = VmSpec["disks"][number];
export type HostFaults = z.infer<typeof hostFaultsSchema>;

export class FleetFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid fleet file ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "FleetFileError";
  }
}

/** Validate an already-parsed fleet object (e.g. built in a test). */
export function parseFleet(data: unknown, source = "<inline>"): FleetSpec {
  const r = fleetSchema.safeParse(data);
  if (!r.success)
    throw new FleetFileError(
      source,
      r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
    );
  return r.data;
}

/** Parse fleet YAML text. */
export function parseFleetYaml(text: string, source = "<inline>"): FleetSpec {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new FleetFileError(source, [`YAML: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return parseFleet(data, source);
}

/** Read and validate a fleet file from disk. */
export function loadFleetFile(path: string): FleetSpec {
  return parseFleetYaml(readFileSync(path, "utf8"), path);
}

// ["vms", 3, "disks", 0, "target"] → "vms[3].disks[0].target", the way people point at YAML.
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}
