// Issue 17: a 5,000-move plan's first rows are in the server's HTML. The virtualized table used to
// render no row until the browser had hydrated the page and measured its scroll box (5.1 s to the
// first row at 5,000 moves, npm run bench -- plan-page); now the virtualizer starts from an assumed
// box height, on the server and in the browser's first render alike (so hydration matches).
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { DataTable, VIRTUALIZE_ABOVE } from "@/components/ui/data-table";

type Row = { id: string; name: string };
const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, name: `vm-${i}` }));
const html = (n: number) =>
  renderToStaticMarkup(
    createElement(DataTable<Row>, {
      data: rows(n),
      columns: [{ id: "name", header: "Name", accessorKey: "name" }],
      getRowId: (r) => r.id,
      label: "Plan",
      empty: "none",
      density: "compact",
      rowAttributes: (r) => ({ "data-vm": r.name }),
    }),
  );
const rendered = (h: string) => [...h.matchAll(/data-vm="([^"]+)"/g)].map((m) => m[1]);

test("a virtualized table's first rows, and only a screenful, are in the server's HTML", () => {
  const shown = rendered(html(5000));
  expect(shown.length).toBeGreaterThanOrEqual(15);
  expect(shown.length).toBeLessThan(60);
  expect(shown.slice(0, 3)).toEqual(["vm-0", "vm-1", "vm-2"]);
  expect(html(5000)).toContain('aria-rowindex="2"');
});

test("below the threshold every row is rendered, as before", () => {
  expect(rendered(html(VIRTUALIZE_ABOVE))).toHaveLength(VIRTUALIZE_ABOVE);
});
