"use client";

// The one table of the console (docs/decisions/017): @tanstack/react-table for sorting, a sticky
// header inside its own scroll box, an empty state instead of an empty grid, and, beyond
// VIRTUALIZE_ABOVE rows, only the rows in view rendered (@tanstack/react-virtual), so a 5,000-move
// plan or report stays usable. Sortable headers are buttons (Tab, Enter) and the column's th
// carries aria-sort.
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  type Header,
  type Row,
  type RowData,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useRef, useState } from "react";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Classes for the column's th and td (alignment, width, font). */
    className?: string;
    /** data-testid of each of the column's cells. */
    testId?: string;
    /** Explains the header on hover. */
    title?: string;
  }
}

export const VIRTUALIZE_ABOVE = 200;
/**
 * A one-line row's height in Chromium (text-sm, the density's padding, the 1 px border; compact
 * measured 34 px). An estimate that is off makes the virtualizer correct the scroll position as
 * rows are measured, and each correction cut the browser's smooth End-key scroll short: a
 * 5,000-move plan stopped at 86 % with 36 px (npm run bench -- plan-page).
 */
const ROW_PX = { compact: 34, normal: 38 } as const;
/** The scroll box's height before it is measured (server render, hydration): the first rows are in the HTML. */
const INITIAL_VIEW_PX = 576;

type RowAttributes = { [key: `data-${string}`]: string | number | boolean | undefined; className?: string };

export type DataTableProps<T> = {
  data: T[];
  // biome-ignore lint/suspicious/noExplicitAny: a column's value type differs per column
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** Names the table for screen readers. */
  label: string;
  /** Shown instead of the table when there are no rows. */
  empty: ReactNode;
  emptyTestId?: string;
  testId?: string;
  rowAttributes?: (row: T) => RowAttributes;
  initialSort?: SortingState;
  /** Height of the scroll box the header sticks to, e.g. "max-h-[36rem]"; virtualized tables need one. */
  maxHeight?: string;
  /** Cell padding: "compact" for dense plans and reports. */
  density?: "normal" | "compact";
  /** false when the rows' order is the point (paged on the server, ranked by the report). */
  sortable?: boolean;
  /** data-* attributes of the table element. */
  tableAttributes?: Omit<RowAttributes, "className">;
};

export function DataTable<T>({
  data,
  columns,
  getRowId,
  label,
  empty,
  emptyTestId,
  testId,
  rowAttributes,
  initialSort = [],
  maxHeight,
  density = "normal",
  sortable = true,
  tableAttributes,
}: DataTableProps<T>) {
  const { table, rows, scrollRef, virtual, virtualizer } = useSortedVirtualRows({
    data,
    columns,
    getRowId,
    initialSort,
    sortable,
    rowPx: ROW_PX[density],
  });

  if (data.length === 0) {
    return (
      <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid={emptyTestId}>
        {empty}
      </p>
    );
  }
  const pad = density === "compact" ? "px-2 py-1.5" : "px-3 py-2";
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const shown = virtual ? items.map((i) => rows[i.index] as Row<T>) : rows;
  const before = items[0]?.start ?? 0;
  const after = virtual ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const span = table.getVisibleLeafColumns().length;

  return (
    // The label names the table. The box around it is a named, focusable region only when it scrolls
    // (so the keyboard can scroll it); otherwise a plain div, so a table inside a section with the
    // same heading does not make a second landmark of the same name (axe: landmark-unique).
    <div
      ref={scrollRef}
      className={`overflow-auto rounded border border-slate-800 ${maxHeight ?? (virtual ? "max-h-[70vh]" : "")}`}
      {...(maxHeight || virtual ? { role: "region", tabIndex: 0, "aria-label": label } : {})}
    >
      <table
        {...tableAttributes}
        aria-label={label}
        className="w-full text-sm"
        data-testid={testId}
        aria-rowcount={virtual ? rows.length + 1 : undefined}
      >
        <thead className="sticky top-0 z-10 bg-slate-900 text-left text-xs uppercase tracking-wide text-slate-400">
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <HeaderCell key={h.id} header={h} pad={pad} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          <SpacerRow span={span} height={before} />
          {shown.map((row, i) => (
            <DataRow
              key={row.id}
              row={row}
              pad={pad}
              attributes={rowAttributes?.(row.original)}
              index={virtual ? items[i]?.index : undefined}
              measure={virtual ? virtualizer.measureElement : undefined}
            />
          ))}
          <SpacerRow span={span} height={after} />
        </tbody>
      </table>
    </div>
  );
}

/** Sorting, and beyond VIRTUALIZE_ABOVE rows the virtualizer over the table's scroll box. */
function useSortedVirtualRows<T>({
  data,
  columns,
  getRowId,
  initialSort,
  sortable,
  rowPx,
}: Pick<DataTableProps<T>, "data" | "columns" | "getRowId"> & {
  initialSort: SortingState;
  sortable: boolean;
  rowPx: number;
}) {
  const [sorting, setSorting] = useState<SortingState>(initialSort);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    enableSorting: sortable,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.getRowModel().rows;
  const virtual = rows.length > VIRTUALIZE_ABOVE;
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowPx,
    initialRect: { width: 0, height: INITIAL_VIEW_PX },
    overscan: 12,
  });
  return { table, rows, scrollRef, virtual, virtualizer };
}

/** Stands for the rows above or below the window of a virtualized table (nothing when 0 px). */
function SpacerRow({ span, height }: { span: number; height: number }) {
  if (height <= 0) return null;
  return (
    <tr>
      <td colSpan={span} style={{ height }} />
    </tr>
  );
}

/** One rendered row; `index` and `measure` only when virtualized (its place among all rows). */
function DataRow<T>({
  row,
  pad,
  attributes,
  index,
  measure,
}: {
  row: Row<T>;
  pad: string;
  attributes: RowAttributes | undefined;
  index: number | undefined;
  measure: ((el: Element | null) => void) | undefined;
}) {
  const { className, ...attrs } = attributes ?? {};
  return (
    <tr
      {...attrs}
      className={`border-t border-slate-800 ${className ?? ""}`}
      aria-rowindex={measure ? (index ?? 0) + 2 : undefined}
      ref={measure}
      data-index={index}
    >
      {row.getVisibleCells().map((c) => (
        <td
          key={c.id}
          className={`${pad} ${c.column.columnDef.meta?.className ?? ""}`}
          data-testid={c.column.columnDef.meta?.testId}
        >
          {flexRender(c.column.columnDef.cell, c.getContext())}
        </td>
      ))}
    </tr>
  );
}

function HeaderCell<T>({ header, pad }: { header: Header<T, unknown>; pad: string }) {
  const meta = header.column.columnDef.meta;
  const content = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
  const sorted = header.column.getIsSorted();
  if (!header.column.getCanSort()) {
    return (
      <th scope="col" className={`${pad} ${meta?.className ?? ""}`} title={meta?.title}>
        {content}
      </th>
    );
  }
  return (
    <th
      scope="col"
      className={`${pad} ${meta?.className ?? ""}`}
      title={meta?.title}
      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
    >
      <button
        type="button"
        onClick={header.column.getToggleSortingHandler()}
        className="inline-flex items-center gap-1 uppercase hover:text-slate-200"
      >
        {content}
        <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
      </button>
    </th>
  );
}
