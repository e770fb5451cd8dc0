"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { type MigrationListFilters, migrationListQuery } from "@/lib/schemas/migration-list";
import { MIGRATION_STATES } from "@/lib/schemas/wire";

const SELECT = "w-full rounded border border-slate-600 bg-slate-900 px-2 py-1.5 text-sm text-slate-100";

/** Filters live in the URL (applied on submit), so a filtered history is a link to share. */
export function HistoryFilters({
  initial,
  hostNames,
  onApply,
}: {
  initial: MigrationListFilters;
  hostNames: string[];
  onApply: (f: MigrationListFilters) => void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({
    host: initial.host ?? "",
    vm: initial.vm ?? "",
    outcome: initial.outcome ?? "",
    from: initial.from ?? "",
    to: initial.to ?? "",
  });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const set = (k: string) => (e: { currentTarget: { value: string } }) => {
    const v = e.currentTarget.value;
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const hosts = initial.host && !hostNames.includes(initial.host) ? [initial.host, ...hostNames] : hostNames;

  return (
    <search aria-label="Filter the history">
      <form
        className="grid items-end gap-3 rounded border border-slate-800 p-3 sm:grid-cols-3 lg:grid-cols-6"
        onSubmit={(e) => {
          e.preventDefault();
          const parsed = migrationListQuery.safeParse(draft);
          if (!parsed.success) {
            const next: Record<string, string[]> = {};
            for (const i of parsed.error.issues)
              next[String(i.path[0])] = [...(next[String(i.path[0])] ?? []), i.message];
            setErrors(next);
            return;
          }
          setErrors({});
          onApply(parsed.data);
        }}
      >
        <Field label="Host" htmlFor="f-host" error={errors.host}>
          <select id="f-host" value={draft.host} onChange={set("host")} className={SELECT}>
            <option value="">Any host</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </Field>
        <Field label="VM name contains" htmlFor="f-vm" error={errors.vm}>
          <TextInput
            id="f-vm"
            type="search"
            value={draft.vm}
            onChange={set("vm")}
            placeholder="e.g. db-"
            invalid={!!errors.vm}
          />
        </Field>
        <Field label="Outcome" htmlFor="f-outcome" error={errors.outcome}>
          <select id="f-outcome" value={draft.outcome} onChange={set("outcome")} className={SELECT}>
            <option value="">Any</option>
            {MIGRATION_STATES.map((s) => (
              <option key={s} value={s}>
                {s === "postcopy" ? "post-copy" : s}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From (UTC)" htmlFor="f-from" error={errors.from}>
          <TextInput id="f-from" type="date" value={draft.from} onChange={set("from")} invalid={!!errors.from} />
        </Field>
        <Field label="To (UTC, inclusive)" htmlFor="f-to" error={errors.to}>
          <TextInput id="f-to" type="date" value={draft.to} onChange={set("to")} invalid={!!errors.to} />
        </Field>
        <div className="flex gap-2">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="ghost"
            onClick={() => {
              setDraft({ host: "", vm: "", outcome: "", from: "", to: "" });
              setErrors({});
              onApply({});
            }}
          >
            Clear
          </Button>
        </div>
      </form>
    </search>
  );
}
