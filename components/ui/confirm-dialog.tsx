"use client";

// The one confirmation for actions that disrupt or can lose a guest. A native modal <dialog>
// (inert background), with the focus kept inside, Esc = cancel, the consequence spelled out, and
// optionally a word to type first (abort, post-copy) so a 3 a.m. misclick cannot fire it.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({
  open,
  title,
  consequence,
  confirmLabel,
  tone = "danger",
  typeToConfirm,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  /** What happens to the guest — always stated, never only "are you sure?". */
  consequence: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  /** When set, the confirm button stays disabled until this exact text is typed. */
  typeToConfirm?: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Extra inputs the action needs (e.g. throttle values). */
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const inputId = `${id}-typed`;
  const armed = !typeToConfirm || typed.trim() === typeToConfirm;
  useModal(ref, open, typeToConfirm ? inputId : null, setTyped);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={descId}
      onKeyDown={(e) => ref.current && trapTab(e, ref.current)}
      onCancel={(e) => {
        // Esc: let React state close it, so `open` stays the single source of truth.
        e.preventDefault();
        onCancel();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-700 bg-slate-900 p-0 text-slate-100 shadow-2xl backdrop:bg-slate-950/80"
    >
      <form
        method="dialog"
        className="space-y-4 p-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (armed) onConfirm();
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div
          id={descId}
          className={`rounded border px-3 py-2 text-sm ${tone === "danger" ? "border-rose-800 bg-rose-950/40 text-rose-100" : "border-sky-800 bg-sky-950/40 text-sky-100"}`}
        >
          {consequence}
        </div>
        {children}
        {typeToConfirm && <TypeToConfirm id={inputId} word={typeToConfirm} typed={typed} onType={setTyped} />}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" data-cancel onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" variant={tone === "danger" ? "danger" : "primary"} disabled={!armed}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * Opens the native modal when `open` turns true (clearing the typed word) and closes it when it turns
 * false, giving the focus back to what had it before. Safe default focus: the typed confirmation
 * (`typedId`) if there is one, else Cancel — never Confirm.
 */
function useModal(
  ref: React.RefObject<HTMLDialogElement | null>,
  open: boolean,
  typedId: string | null,
  setTyped: (typed: string) => void,
) {
  const returnFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setTyped("");
      dialog.showModal();
      dialog.querySelector<HTMLElement>(typedId ? `#${CSS.escape(typedId)}` : "[data-cancel]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      returnFocus.current?.focus();
    }
  }, [ref, open, typedId, setTyped]);
}

/** Tab and Shift+Tab wrap around inside the dialog. */
function trapTab(e: React.KeyboardEvent<HTMLDialogElement>, dialog: HTMLDialogElement) {
  if (e.key !== "Tab") return;
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

function TypeToConfirm({
  id,
  word,
  typed,
  onType,
}: {
  id: string;
  word: string;
  typed: string;
  onType: (typed: string) => void;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm text-slate-300">
        Type <span className="font-mono font-semibold text-white">{word}</span> to confirm
      </label>
      <input
        id={id}
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => onType(e.currentTarget.value)}
        className="w-full rounded border border-slate-600 bg-slate-950 px-2 py-1.5 font-mono text-sm"
      />
    </div>
  );
}
