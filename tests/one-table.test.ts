// Issue 15 item 5: the console has one table component. A hand-written <table> elsewhere in app/ or
// components/ fails here, unless it is listed below with the reason it is not a data table.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const ALLOWED: Record<string, string> = {
  "components/ui/data-table.tsx": "the table component itself",
  // A key → value listing (libvirt's completed-job statistics) whose keys are row headers: no
  // column to sort, no header row to keep in view.
  "app/(console)/migrations/[id]/outcome-panel.tsx": "key-value listing",
};

function tsx(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsx(p) : p.endsWith(".tsx") ? [path.relative(ROOT, p)] : [];
  });
}

test("no hand-written <table> outside the data table", () => {
  const found = ["app", "components"]
    .flatMap((d) => tsx(path.join(ROOT, d)))
    .filter((f) => /<table[\s>]/.test(readFileSync(path.join(ROOT, f), "utf8")));
  expect(found.filter((f) => !(f in ALLOWED))).toEqual([]);
});
