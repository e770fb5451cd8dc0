"use client";

// One place that fires the operator controls, used by the controls panel and by the verdict card's
// recommended fixes: an idempotency key per intent (a double click applies once), a confirmation
// for anything that pauses, restarts or can lose the guest, pending state, and a visible result.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, TextInput } from "@/components/ui/field";
import { controlMigrationAction } from "@/lib/actions/migrations";
import type { ControlMigrationInput, OperatorAction } from "@/lib/migration/operator-actions";
import { queryKeys } from "@/lib/query-keys";
import { displayName } from "@/lib/format";

export type ControlParams = { ms?: number; mib?: number; initial?: number; increment?: number };
export type ControlResult = {
  action: OperatorAction;
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string[]>;
  at: number;
};

type Pending = { action: OperatorAction; params: ControlParams; key: string };

export function useMigrationControls({
  migrationId,
  vmName,
  destName,
}: {
  migrationId: string;
  vmName: string;
  destName: string;
}) {
  const qc = useQueryClient();
  const [pending, setPending] = useState<OperatorAction | null>(null);
  const [results, setResults] = useState<Partial<Record<OperatorAction, ControlResult>>>({});
  const [last, setLast] = useState<ControlResult | null>(null);
  const [confirm, setConfirm] = useState<Pending | null>(null);
  const [restartRequested, setRestartRequested] = useState(false);
  const shown = useRef<Pending | null>(null); // keeps the dialog's text while it closes
  const inFlight = useRef(false);
  if (confirm) shown.current = confirm;

  async function run({ action, params, key }: Pending) {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(action);
    let result: ControlResult;
    try {
      // A field left empty is sent as such: the server's schema answers with that field's error.
      const res = await controlMigrationAction({
        action,
        migrationId,
        idempotencyKey: key,
        ...withDefaults(action, params),
      } as ControlMigrationInput);
      result = res.ok
        ? {
            action,
            ok: true,
            message: res.data.duplicate ? `Already requested — ${res.data.message}` : res.data.message,
            at: Date.now(),
          }
        : { action, ok: false, message: res.message, fieldErrors: res.fieldErrors, at: Date.now() };
      if (res.ok && action === "restart-with-auto-converge") setRestartRequested(true);
      if (res.ok) void qc.invalidateQueries({ queryKey: queryKeys.migrationsAll });
    } catch {
      // Thrown, not returned: the connection dropped or the server crashed mid-request, so the
      // control may or may not have been applied. The events timeline is the truth.
      const offline = typeof navigator !== "undefined" && !navigator.onLine;
      result = {
        action,
        ok: false,
        message: `${offline ? "You are offline" : "The request failed (connection lost or server error)"}: it may or may not have been applied — check the events below before retrying.`,
        at: Date.now(),
      };
    } finally {
      inFlight.current = false;
      setPending(null);
    }
    setResults((r) => ({ ...r, [action]: result }));
    setLast(result);
  }

  /** Fires a control now, or opens the confirmation first; the key belongs to this one intent. */
  function request(action: OperatorAction, params: ControlParams = {}) {
    if (inFlight.current || confirm) return;
    const intent = { action, params, key: newKey() };
    if (CONFIRM[action]) setConfirm(intent);
    else void run(intent);
  }

  const c = shown.current;
  const spec = c ? CONFIRM[c.action] : undefined;
  const dialog = (
    <ConfirmDialog
      open={confirm !== null}
      title={spec?.title ?? ""}
      consequence={c && spec ? spec.consequence({ vmName, destName, params: c.params }) : null}
      confirmLabel={spec?.confirmLabel ?? "Confirm"}
      tone={spec?.tone ?? "danger"}
      typeToConfirm={spec?.typed ? vmName : undefined}
      onCancel={() => setConfirm(null)}
      onConfirm={() => {
        if (!confirm) return;
        setConfirm(null);
        void run(confirm);
      }}
    >
      {c?.action === "restart-with-auto-converge" && confirm && (
        <ThrottleInputs
          params={confirm.params}
          onChange={(params) => setConfirm({ ...confirm, params })}
          idPrefix="restart"
        />
      )}
    </ConfirmDialog>
  );

  return { request, pending, results, last, dialog, restartRequested };
}

export function ThrottleInputs({
  params,
  onChange,
  idPrefix,
}: {
  params: ControlParams;
  onChange: (p: ControlParams) => void;
  idPrefix: string;
}) {
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Throttle initial (%)" htmlFor={`${idPrefix}-initial`}>
        <TextInput
          id={`${idPrefix}-initial`}
          type="number"
          min={1}
          max={99}
          value={params.initial ?? ""}
          onChange={(e) => onChange({ ...params, initial: num(e.currentTarget.value) })}
        />
      </Field>
      <Field label="Throttle increment (%)" htmlFor={`${idPrefix}-increment`}>
        <TextInput
          id={`${idPrefix}-increment`}
          type="number"
          min={1}
          max={99}
          value={params.increment ?? ""}
          onChange={(e) => onChange({ ...params, increment: num(e.currentTarget.value) })}
        />
      </Field>
    </div>
  );
}

type ConfirmSpec = {
  title: string;
  confirmLabel: string;
  tone?: "danger" | "primary";
  typed?: boolean;
  consequence: (c: { vmName: string; destName: string; params: ControlParams }) => string;
};

const CONFIRM: Partial<Record<OperatorAction, ConfirmSpec>> = {
  "restart-with-auto-converge": {
    title: "Restart with auto-converge?",
    confirmLabel: "Abort and restart",
    consequence: ({ vmName, params }) =>
      `QEMU cannot switch auto-converge on mid-migration, so this aborts the running migration of ${displayName(vmName)} and starts it over with auto-converge (throttle ${params.initial ?? 20} %, +${params.increment ?? 10} % per step). Everything copied so far is sent again; the guest keeps running on the source meanwhile and is slowed down once the throttle kicks in.`,
  },
  "suspend-to-finish": {
    title: "Suspend the guest to finish?",
    confirmLabel: "Suspend and finish",
    consequence: ({ vmName, destName }) =>
      `${displayName(vmName)} is paused on the source now and stays paused until the copy lands on ${displayName(destName)}, where it is resumed. Its services do not answer during that time (seconds to minutes, depending on what is left to copy).`,
  },
  "switch-to-postcopy": {
    title: "Switch to post-copy?",
    confirmLabel: "Yes, go post-copy",
    typed: true,
    consequence: ({ vmName, destName }) =>
      `${displayName(vmName)} starts running on ${displayName(destName)} at once and pulls the rest of its memory from the source over the network. If either host or the link fails before the copy ends, the guest is LOST — neither side has a complete copy. It cannot be aborted after this.`,
  },
  abort: {
    title: "Abort this migration?",
    confirmLabel: "Yes, abort it",
    typed: true,
    consequence: ({ vmName }) =>
      `The migration stops and ${displayName(vmName)} keeps running on the source. Everything copied so far is discarded; a new migration starts from zero.`,
  },
};

/** Restart's dialog may leave the throttle fields empty: it then uses the throttle it names. */
function withDefaults(action: OperatorAction, p: ControlParams): ControlParams {
  return action === "restart-with-auto-converge" ? { ...p, initial: p.initial ?? 20, increment: p.increment ?? 10 } : p;
}

function num(v: string): number | undefined {
  return v.trim() === "" ? undefined : Number(v);
}

/** crypto.randomUUID needs a secure context; a console reached over plain HTTP on a LAN has none. */
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
