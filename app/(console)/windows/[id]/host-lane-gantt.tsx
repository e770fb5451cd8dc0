"use client";

// The plan by host lane (issue 17): a lane per source (outbound) and destination (inbound) host,
// each planned move a bar over time, coloured by the move's state. Drawn on one canvas the size of
// the viewport, and only the lanes in view: 5,000 moves are ~2,700 lanes and 10,000 bars, which
// as DOM nodes made the page unusable. Hovering a bar names the move.
import { useEffect, useMemo, useRef, useState } from "react";
import type { MoveView } from "@/lib/schemas/wire-window";
import { displayName } from "@/lib/format";
import { formatDuration } from "../../migrations/display";
import { STRATEGY_DISPLAY } from "../window-state";
import { hostLanes, type Lane, type LaneBar, type LaneLayout, TRACK_PX, visibleLanes } from "./host-lanes";

const VIEW_PX = 420;
const LABEL_PX = 150;
const STATE_COLOR: Record<string, string> = {
  pending: "#64748b",
  started: "#38bdf8",
  completed: "#10b981",
  failed: "#f43f5e",
  skipped: "#a8a29e",
  cancelled: "#fb7185",
};

export function HostLaneGantt({ moves }: { moves: MoveView[] }) {
  const layout = useMemo(() => hostLanes(moves), [moves]);
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const width = useClientWidth(scroller, 800);
  const [drawn, setDrawn] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    const c = canvas.current;
    const g = c?.getContext("2d");
    if (!c || !g) return;
    setDrawn(drawLanes(c, g, layout, scrollTop, width));
  }, [layout, scrollTop, width]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) =>
    setHover(hoverAt(e, layout, scrollTop, xScale(layout.endMs, width)));

  const sources = layout.lanes.filter((l) => l.dir === "out").length;
  return (
    <div
      data-testid="host-gantt"
      data-lanes={layout.lanes.length}
      data-bars={layout.bars}
      data-drawn={drawn}
      role="img"
      aria-label={`Plan by host: ${sources} source and ${layout.lanes.length - sources} destination lanes, ${moves.length} moves over ${formatDuration(layout.endMs)}`}
      className="space-y-1 rounded border border-slate-800 p-2"
    >
      <GanttLegend endMs={layout.endMs} />
      <div
        ref={scroller}
        className="relative overflow-y-auto"
        style={{ height: VIEW_PX }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <canvas
          ref={canvas}
          className="sticky top-0 block"
          style={{ width, height: VIEW_PX }}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
        <div style={{ height: Math.max(0, layout.heightPx - VIEW_PX) }} aria-hidden />
        {hover && (
          <div
            className="pointer-events-none absolute z-10 rounded bg-slate-900 px-2 py-1 text-xs text-slate-200 shadow"
            style={{ left: Math.min(hover.x + 12, width - 320), top: scrollTop + hover.y + 12 }}
            data-testid="host-gantt-hover"
          >
            {hover.text}
          </div>
        )}
      </div>
    </div>
  );
}

type Hover = { text: string; x: number; y: number };

function GanttLegend({ endMs }: { endMs: number }) {
  return (
    <div className="flex flex-wrap gap-4 text-xs text-slate-400" aria-hidden>
      <span>↑ source (outbound) · ↓ destination (inbound) · 0 → {formatDuration(endMs)}</span>
      {Object.entries(STATE_COLOR).map(([s, c]) => (
        <span key={s} className="flex items-center gap-1">
          <span className="inline-block h-2 w-4 rounded-sm" style={{ background: c }} /> {s}
        </span>
      ))}
      {Object.values(STRATEGY_DISPLAY).map(
        (s) =>
          s.mark && (
            <span key={s.label} className="flex items-center gap-1">
              <span className="inline-block h-2 w-0.5" style={{ background: s.mark }} /> {s.label}
            </span>
          ),
      )}
    </div>
  );
}

/** The element's width, followed as it resizes. */
function useClientWidth(ref: React.RefObject<HTMLElement | null>, initial: number): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

/** Draws the lanes in view on the canvas; returns how many bars it drew. */
function drawLanes(
  c: HTMLCanvasElement,
  g: CanvasRenderingContext2D,
  layout: LaneLayout,
  scrollTop: number,
  width: number,
): number {
  const x = xScale(layout.endMs, width);
  const dpr = window.devicePixelRatio || 1;
  c.width = width * dpr;
  c.height = VIEW_PX * dpr;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, VIEW_PX);
  g.font = "11px ui-sans-serif, system-ui";
  g.textBaseline = "middle";
  let bars = 0;
  for (const lane of visibleLanes(layout, scrollTop, VIEW_PX)) {
    const y0 = lane.top - scrollTop;
    g.fillStyle = "#1e293b";
    g.fillRect(0, y0 + lane.height - 1, width, 1);
    g.fillStyle = lane.dir === "out" ? "#cbd5e1" : "#94a3b8";
    g.fillText(
      `${lane.dir === "out" ? "↑" : "↓"} ${displayName(lane.host)}`.slice(0, 24),
      4,
      y0 + (lane.tracks * TRACK_PX) / 2 + 1,
    );
    for (const b of lane.bars) {
      g.fillStyle = STATE_COLOR[b.move.state] ?? "#64748b";
      const left = x(b.move.plannedStartMs);
      g.fillRect(left, y0 + b.track * TRACK_PX + 1, Math.max(2, x(b.move.plannedEndMs) - left), TRACK_PX - 2);
      const mark = STRATEGY_DISPLAY[b.move.strategy].mark;
      if (mark) {
        g.fillStyle = mark;
        g.fillRect(left, y0 + b.track * TRACK_PX + 1, 2, TRACK_PX - 2);
      }
      bars++;
    }
  }
  return bars;
}

/** The move under the pointer, named, or null over empty space. */
function hoverAt(
  e: React.MouseEvent<HTMLCanvasElement>,
  layout: LaneLayout,
  scrollTop: number,
  x: (ms: number) => number,
): Hover | null {
  const r = e.currentTarget.getBoundingClientRect();
  const px = e.clientX - r.left;
  const py = e.clientY - r.top;
  const lane = visibleLanes(layout, scrollTop + py, 1)[0];
  const bar = lane ? barAt(lane, px, py + scrollTop - lane.top, x) : undefined;
  if (!bar) return null;
  const m = bar.move;
  return {
    text: `${displayName(m.vmName)}: ${displayName(m.sourceHost)} → ${displayName(m.destHost)}, +${formatDuration(m.plannedStartMs)} → +${formatDuration(m.plannedEndMs)} (${m.state}, ${STRATEGY_DISPLAY[m.strategy].label})`,
    x: px,
    y: py,
  };
}

/** Plan time → px: labels on the left, 3 % headroom on the right. */
function xScale(endMs: number, width: number): (ms: number) => number {
  const domain = Math.max(1, endMs) * 1.03;
  const plotPx = Math.max(50, width - LABEL_PX);
  return (ms) => LABEL_PX + (ms / domain) * plotPx;
}

function barAt(lane: Lane, px: number, py: number, x: (ms: number) => number): LaneBar | undefined {
  const track = Math.floor(py / TRACK_PX);
  return lane.bars.find(
    (b) =>
      b.track === track &&
      px >= x(b.move.plannedStartMs) - 1 &&
      px <= Math.max(x(b.move.plannedStartMs) + 2, x(b.move.plannedEndMs)) + 1,
  );
}
