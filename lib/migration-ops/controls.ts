import "server-only";
import { db } from "@/lib/db/client";
import { latestEventOfTypes } from "@/lib/db/migration-events";
import { markGuestPaused, requestRestart, saveOptions } from "@/lib/db/migration-writes";
import { addEvent, getMigration, type MigrationWithHosts, transition } from "@/lib/db/migrations";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ControlRequest, OperatorAction, ParamsOf } from "@/lib/migration/operator-actions";
import { onHost } from "@/lib/migration-ops/remote";
import { type LaunchOptions, storedLaunchOptions } from "@/lib/schemas/migrations";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import {
  domJobAbort,
  migrateGetMaxDowntime,
  migrateGetSpeed,
  migratePostcopy,
  migrateSetMaxDowntime,
  migrateSetSpeed,
  qemuMonitorCommand,
  suspend,
} from "@/lib/virsh/commands";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { parseMigrateGetMaxDowntime, parseMigrateGetSpeed } from "@/lib/virsh/parse-migrate-params";
import { parseQmpReply } from "@/lib/virsh/parse-qmp";

export type Actor = { id: string | null; name: string; source: "operator" | "policy" };
export type ControlResult = { applied: boolean; duplicate: boolean; message: string };

/**
 * A step's outcome: its message, and for a setting the value read back from the host. `data`: the
 * values applied. Both go into the event's data — the page shows the read-back value, and the fix
 * check compares what happened with what was predicted for the applied value.
 */
type Outcome = string | { message: string; data: Prisma.InputJsonObject };
type Step = {
  label: string;
  run: (m: MigrationWithHosts) => Promise<Outcome>;
  allowedStates?: string[];
  data?: Record<string, number>;
};

/**
 * Applies one operator (or policy) control to a running migration, once: the client's idempotency
 * key is stored with the "requested" event under a unique index, so a double click or a retried
 * POST does nothing the second time and reports the first one's outcome. Its events are named
 * after the control: `<action>-requested`, then `<action>` or `<action>-failed`.
 */
export async function applyControl(
  migrationId: string,
  actor: Actor,
  idempotencyKey: string,
  request: ControlRequest,
): Promise<ControlResult> {
  const step = stepOf(request);
  const type = request.action;
  const m = await getMigration(migrationId);
  if (!m) throw new AppError("NOT_FOUND", "No such migration.");
  const states = step.allowedStates ?? ["running"];
  if (!states.includes(m.state)) throw new AppError("CONFLICT", `Cannot ${step.label} a migration that is ${m.state}.`);
  try {
    await addEvent(db, {
      migrationId,
      source: actor.source,
      type: `${type}-requested`,
      message: `${actor.name}: ${step.label}`,
      actorId: actor.id,
      idempotencyKey,
    });
  } catch (e) {
    if ((e as { code?: string }).code !== "P2002") throw e;
    const outcome = await latestEventOfTypes(migrationId, [type, `${type}-failed`]);
    return { applied: false, duplicate: true, message: outcome?.message ?? "Already requested." };
  }
  try {
    const out = await step.run(m);
    const { message, data } = typeof out === "string" ? { message: out, data: undefined } : out;
    const eventData = step.data || data ? { ...step.data, ...data } : undefined;
    await addEvent(db, {
      migrationId,
      source: actor.source,
      type,
      message,
      actorId: actor.id,
      ...(eventData ? { data: eventData } : {}),
    });
    return { applied: true, duplicate: false, message };
  } catch (e) {
    const message = e instanceof AppError ? e.message : e instanceof SshError ? remoteError(e) : "Failed (logged).";
    await addEvent(db, { migrationId, source: actor.source, type: `${type}-failed`, message, actorId: actor.id });
    throw e instanceof AppError ? e : new AppError("REMOTE_ERROR", message);
  }
}

function remoteError(e: SshError): string {
  return e.kind === "exit" ? classifyVirshError(e.stderr).message : describeSshError(e);
}

async function updateOptions(m: MigrationWithHosts, patch: Partial<LaunchOptions>): Promise<void> {
  await saveOptions(m.id, { ...storedLaunchOptions(m.options), ...patch });
}

const uriOf = (m: MigrationWithHosts) => m.sourceHost.libvirtUri;

// TypeScript cannot tie a request's `action` to its own parameters across the union: each entry of
// STEPS takes exactly its action's parameters, so the call through the union is sound.
const stepOf = (r: ControlRequest): Step => (STEPS[r.action] as (p: ControlRequest) => Step)(r);

const STEPS: { [A in OperatorAction]: (p: ParamsOf<A>) => Step } = {
  "set-max-downtime": ({ ms }) => ({
    label: `set max downtime to ${ms} ms`,
    data: { ms },
    allowedStates: ["running"],
    run: async (m) => {
      await onHost(m, "source", migrateSetMaxDowntime(uriOf(m), m.vmName, ms));
      // Show what QEMU holds now, not what was asked: the page follows the event's data.
      const got = parseMigrateGetMaxDowntime(
        (await onHost(m, "source", migrateGetMaxDowntime(uriOf(m), m.vmName))).stdout,
      ).ms;
      await updateOptions(m, { maxDowntimeMs: got });
      return { message: `Max downtime set to ${ms} ms; the host reads back ${got} ms.`, data: { maxDowntimeMs: got } };
    },
  }),
  "set-bandwidth": ({ mib }) => ({
    label: `set bandwidth to ${mib} MiB/s`,
    data: { bps: mib * 1024 ** 2 },
    allowedStates: ["running", "postcopy"],
    run: async (m) => {
      await onHost(m, "source", migrateSetSpeed(uriOf(m), m.vmName, mib));
      const speed = parseMigrateGetSpeed((await onHost(m, "source", migrateGetSpeed(uriOf(m), m.vmName))).stdout);
      // null = libvirt's "no limit" (launch options leave bandwidthMiB out for that).
      const got = speed.unlimited ? null : speed.mibPerSecond;
      await updateOptions(m, { bandwidthMiB: got ?? undefined });
      return {
        message: `Bandwidth limit set to ${mib} MiB/s; the host reads back ${got === null ? "unlimited" : `${got} MiB/s`}.`,
        data: { bandwidthMiB: got },
      };
    },
  }),
  /** Only for migrations started with auto-converge: parameters may change mid-flight, capabilities not. */
  "throttle-harder": ({ initial, increment }) => ({
    label: `throttle harder (initial ${initial} %, +${increment} %)`,
    data: { initial, increment },
    run: async (m) => {
      const o = storedLaunchOptions(m.options);
      if (!o.autoConverge.enabled)
        throw new AppError(
          "CONFLICT",
          "Started without auto-converge: QEMU cannot turn it on mid-migration. Use “Restart with auto-converge”.",
        );
      const r = await onHost(
        m,
        "source",
        qemuMonitorCommand(uriOf(m), m.vmName, {
          execute: "migrate-set-parameters",
          arguments: { "cpu-throttle-initial": initial, "cpu-throttle-increment": increment },
        }),
      );
      const reply = parseQmpReply(r.stdout);
      if (!reply.ok) throw new AppError("REMOTE_ERROR", `QEMU refused: ${reply.error.desc}`);
      await updateOptions(m, { autoConverge: { enabled: true, initial, increment } });
      return `Auto-converge throttle raised: initial ${initial} %, increment ${increment} %.`;
    },
  }),
  /** Abort now and relaunch with auto-converge once the abort lands (the cost: start over). */
  "restart-with-auto-converge": ({ initial, increment }) => ({
    label: "restart with auto-converge",
    run: async (m) => {
      await requestRestart(m.id, { initial, increment });
      await onHost(m, "source", domJobAbort(uriOf(m), m.vmName));
      return "Aborted; it will restart with auto-converge (everything copied so far is sent again).";
    },
  }),
  "suspend-to-finish": () => ({
    label: "suspend the guest to finish",
    run: async (m) => {
      await onHost(m, "source", suspend(uriOf(m), m.vmName));
      await markGuestPaused(m.id);
      return "Guest paused on the source: it stops dirtying memory, so the migration can finish. It resumes on the destination.";
    },
  }),
  "switch-to-postcopy": () => ({
    label: "switch to post-copy",
    run: async (m) => {
      if (!storedLaunchOptions(m.options).postcopy)
        throw new AppError("CONFLICT", "Post-copy was not armed when this migration started.");
      await onHost(m, "source", migratePostcopy(uriOf(m), m.vmName));
      return "Switched to post-copy: the VM runs on the destination; a failure now loses the guest.";
    },
  }),
  abort: () => ({
    label: "abort",
    allowedStates: ["queued", "running", "launching"],
    run: async (m) => {
      if (m.state === "queued") {
        await transition(m.id, ["queued"], "cancelled", { endedAt: new Date(), error: "Aborted before launch." });
        return "Cancelled before it was launched.";
      }
      try {
        await onHost(m, "source", domJobAbort(uriOf(m), m.vmName));
      } catch (e) {
        // Two operators aborting at once: the second finds no job, which is the state they wanted.
        if (e instanceof SshError && e.kind === "exit" && classifyVirshError(e.stderr).kind === "no-job")
          return "No job was running any more.";
        throw e;
      }
      return "Abort requested; the VM keeps running on the source.";
    },
  }),
};
