"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";

/** The wizard's last step: an admin's reason to override failed pre-checks, the error, and the start button. */
export function StartMigration({
  showOverride,
  overrideReason,
  onOverrideChange,
  error,
  canStart,
  starting,
  hasReport,
  onStart,
}: {
  showOverride: boolean;
  overrideReason: string;
  onOverrideChange: (reason: string) => void;
  error: string | null;
  canStart: boolean;
  starting: boolean;
  hasReport: boolean;
  onStart: () => void;
}) {
  return (
    <>
      {showOverride && (
        <Field label="Override failed pre-checks (admin): why?" htmlFor="override">
          <TextArea
            id="override"
            rows={2}
            value={overrideReason}
            onChange={(e) => onOverrideChange(e.currentTarget.value)}
          />
        </Field>
      )}
      {error && <Alert>{error}</Alert>}
      <Button disabled={!canStart} onClick={onStart}>
        {starting ? "Starting…" : "Start migration"}
      </Button>
      {!hasReport && <p className="text-xs text-slate-500">Run the pre-checks first.</p>}
    </>
  );
}
