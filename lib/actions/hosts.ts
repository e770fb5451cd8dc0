"use server";

import { action } from "@/lib/actions/action";
import { seal } from "@/lib/crypto/secret-box";
import { decommissionHost, recordKeyPin, setHostMaintenance } from "@/lib/db/host-lifecycle";
import {
  createHost,
  getHostById,
  getHostByName,
  pinHostKey,
  requestRefresh,
  setPendingFingerprint,
} from "@/lib/db/hosts";
import { AppError } from "@/lib/errors";
import { importInventory } from "@/lib/hosts/import-inventory";
import { assertUsablePrivateKey } from "@/lib/hosts/private-key";
import { asAppError } from "@/lib/hosts/ssh-errors";
import { verifyHostAccess } from "@/lib/hosts/verify-access";
import {
  addHostInput,
  confirmHostKeyInput,
  hostIdInput,
  hostMaintenanceInput,
  importInventoryInput,
} from "@/lib/schemas/hosts";
import { probeHostKey } from "@/lib/ssh/host-keys";

const PROBE_TIMEOUT_MS = 5_000;

/** Adds a host as "pending key": its fingerprint is shown to the admin, who must confirm it. */
export const addHostAction = action(
  { schema: addHostInput, role: "admin", audit: "host.add" },
  async ({ input, tx }) => {
    if (await getHostByName(input.name)) throw new AppError("CONFLICT", `A host named ${input.name} already exists.`);
    assertUsablePrivateKey(input.privateKey);
    const probe = await probeHostKey({ address: input.address, port: input.port, timeoutMs: PROBE_TIMEOUT_MS }).catch(
      (e) => {
        throw asAppError(e);
      },
    );
    const { privateKey, nicGbps, ...rest } = input;
    const host = await tx(
      (t) =>
        createHost(t, {
          ...rest,
          privateKeyEnc: seal(privateKey),
          nicBps: BigInt(Math.round((nicGbps * 1e9) / 8)),
          pendingFingerprint: probe.fingerprint,
          status: "pending_key",
        }),
      (h) => ({
        targetType: "host",
        targetId: h.id,
        after: { ...rest, nicGbps, pendingFingerprint: probe.fingerprint },
      }),
    );
    return { hostId: host.id, name: host.name, fingerprint: probe.fingerprint, keyType: probe.keyType };
  },
);

/**
 * Pins the fingerprint the admin saw. It must equal the one Convoy probed, and a real login with
 * it must work (so a wrong private key is reported now, and nothing changes).
 */
export const confirmHostKeyAction = action(
  { schema: confirmHostKeyInput, role: "admin", audit: "host.confirm-key" },
  async ({ input, user, tx }) => {
    const host = await getHostById(input.hostId);
    if (!host || host.status === "removed") throw new AppError("NOT_FOUND", "No such host.");
    if (host.pendingFingerprint !== input.fingerprint) {
      throw new AppError("CONFLICT", "The host key changed since it was shown. Probe it again and compare.");
    }
    await verifyHostAccess(host.id, input.fingerprint).catch((e) => {
      throw asAppError(e);
    });
    await tx(
      async (t) => {
        if (!(await pinHostKey(t, host.id, input.fingerprint)))
          throw new AppError("CONFLICT", "The host changed meanwhile; reload and try again.");
        await recordKeyPin(t, {
          hostId: host.id,
          fingerprint: input.fingerprint,
          previous: host.hostKeyFingerprint,
          actorName: user.username,
        });
        await requestRefresh(t, host.id);
      },
      {
        targetType: "host",
        targetId: host.id,
        before: { hostKeyFingerprint: host.hostKeyFingerprint },
        after: { hostKeyFingerprint: input.fingerprint },
      },
    );
    return { hostId: host.id };
  },
);

/** Reads the host's current key again (after a legitimate re-install); the admin then confirms it. */
export const probeHostKeyAction = action(
  { schema: hostIdInput, role: "admin", audit: "host.probe-key" },
  async ({ input, tx }) => {
    const host = await getHostById(input.hostId);
    if (!host || host.status === "removed") throw new AppError("NOT_FOUND", "No such host.");
    const probe = await probeHostKey({ address: host.address, port: host.port, timeoutMs: PROBE_TIMEOUT_MS }).catch(
      (e) => {
        throw asAppError(e);
      },
    );
    await tx((t) => setPendingFingerprint(t, host.id, probe.fingerprint), {
      targetType: "host",
      targetId: host.id,
      before: { pendingFingerprint: host.pendingFingerprint, hostKeyFingerprint: host.hostKeyFingerprint },
      after: { pendingFingerprint: probe.fingerprint },
    });
    return { fingerprint: probe.fingerprint, keyType: probe.keyType, pinned: host.hostKeyFingerprint };
  },
);

/**
 * Decommissions a host (admin): refused with the reasons while migrations or live windows touch it;
 * otherwise kept as "removed" for history, its key erased (lib/db/host-lifecycle.ts).
 */
export const removeHostAction = action(
  { schema: hostIdInput, role: "admin", audit: "host.remove" },
  async ({ input, tx, setAudit }) => {
    setAudit({ targetType: "host", targetId: input.hostId });
    const r = await tx(
      (t) => decommissionHost(t, input.hostId, new Date()),
      (r) => ({
        targetType: "host",
        targetId: input.hostId,
        before: { name: r.name, status: r.before },
        after: { status: r.deleted ? "deleted" : "removed", vmsDropped: r.vms },
      }),
    );
    return { hostId: input.hostId, name: r.name, deleted: r.deleted };
  },
);

/** Into or out of maintenance by hand (operator): in maintenance a host gets no new incoming moves. */
export const setHostMaintenanceAction = action(
  { schema: hostMaintenanceInput, role: "operator", audit: "host.maintenance" },
  async ({ input, tx, setAudit }) => {
    setAudit({ targetType: "host", targetId: input.hostId });
    return tx(
      (t) => setHostMaintenance(t, input.hostId, input.maintenance),
      (r) => ({
        targetType: "host",
        targetId: input.hostId,
        before: { status: r.before },
        after: { status: r.after, name: r.name },
      }),
    );
  },
);

/** Imports many hosts from a YAML or JSON inventory file: all of them or none. */
export const importInventoryAction = action(
  { schema: importInventoryInput, role: "admin", audit: "host.import" },
  async ({ input, user, tx, setAudit }) => {
    const result = await importInventory(input.text, tx, user.username);
    setAudit({ targetType: "inventory", after: result });
    return result;
  },
);
