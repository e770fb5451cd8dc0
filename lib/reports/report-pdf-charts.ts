// The report's charts drawn as PDF vector shapes: the same data the page's charts draw.
import { duration } from "@/lib/migration/text";
import type { Bars, Gantt, HistogramBin } from "./report-charts";
import { AMBER, BLUE, type Doc, ensure, fit, GREEN, INK, M, MUTED, note, pdfText, RED, W } from "./report-pdf-kit";
import type { WindowReport } from "./window-report";

/** Lanes of the Gantt drawn in the PDF (a window with more source hosts lists the rest by count). */
const PDF_GANTT_LANES = 60;

export function bars(doc: Doc, data: Bars, budgetMs?: number) {
  if (data.bars.length === 0) return note(doc, "No completed migration.");
  const labelW = 110;
  const valueW = 50;
  const barW = W - labelW - valueW - 8;
  const max = Math.max(budgetMs ?? 0, data.bars[0]?.valueMs ?? 0, 1);
  const top = doc.y;
  data.bars.forEach((b, i) => {
    const y = top + i * 11;
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(INK)
      .text(fit(b.vmName, labelW, 7.5), M, y + 1, { width: labelW, lineBreak: false });
    doc.rect(M + labelW, y + 1, Math.max(1, (b.valueMs / max) * barW), 8).fill(b.over ? RED : BLUE);
    doc
      .fillColor(INK)
      .text(pdfText(duration(b.valueMs)), M + labelW + barW + 8, y + 1, { width: valueW, lineBreak: false });
  });
  const bottom = top + data.bars.length * 11;
  if (budgetMs !== undefined) {
    const x = M + labelW + (budgetMs / max) * barW;
    doc
      .moveTo(x, top - 2)
      .lineTo(x, bottom)
      .lineWidth(0.8)
      .strokeColor(AMBER)
      .stroke();
  }
  doc.x = M;
  doc.y = bottom + 2;
  if (data.hidden)
    note(doc, `${data.hidden} shorter ones not drawn: every migration is in the table below and the CSV.`);
}

export function histogram(doc: Doc, bins: HistogramBin[]) {
  const h = 80;
  const top = doc.y + 10;
  const bw = W / bins.length;
  const max = Math.max(1, ...bins.map((b) => b.count));
  bins.forEach((b, i) => {
    const x = M + i * bw;
    const bh = (b.count / max) * h;
    if (b.count) doc.rect(x + 2, top + h - bh, bw - 4, bh).fill(b.over ? RED : BLUE);
    doc.font("Helvetica").fontSize(7).fillColor(INK);
    if (b.count) doc.text(String(b.count), x, top + h - bh - 9, { width: bw, align: "center", lineBreak: false });
    doc
      .fillColor(MUTED)
      .text(b.toMs === null ? `>${Math.round(b.fromMs)} ms` : `<=${Math.round(b.toMs)} ms`, x, top + h + 3, {
        width: bw,
        align: "center",
        lineBreak: false,
      });
  });
  doc.x = M;
  doc.y = top + h + 16;
}

export function gantt(doc: Doc, g: Gantt) {
  const labelW = 110;
  const barW = W - labelW;
  const lanes = g.lanes.slice(0, PDF_GANTT_LANES);
  const at = (ms: number) => M + labelW + (ms / Math.max(1, g.domainMs)) * barW;
  for (const l of lanes) {
    ensure(doc, 11);
    const y = doc.y;
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(INK)
      .text(fit(g.by === "source-host" ? `${l.label} (${l.count})` : l.label, labelW, 7.5), M, y + 1, {
        width: labelW,
        lineBreak: false,
      });
    for (const p of l.planned)
      doc
        .rect(at(p.fromMs), y + 1, Math.max(1, at(p.toMs) - at(p.fromMs)), 4)
        .lineWidth(0.5)
        .strokeColor(BLUE)
        .stroke();
    for (const a of l.actual)
      doc
        .rect(at(a.fromMs), y + 6, Math.max(1, at(a.toMs) - at(a.fromMs)), 4)
        .fill(a.state === "completed" ? GREEN : RED);
    doc.x = M;
    doc.y = y + 11;
  }
  if (g.lanes.length > lanes.length) note(doc, `${g.lanes.length - lanes.length} more lanes not drawn.`);
  note(
    doc,
    `Outline: planned; green: completed; red: failed or aborted. 0 -> ${duration(g.domainMs)} after the run started.`,
  );
}

export function trend(doc: Doc, r: WindowReport) {
  const series: [string, (t: WindowReport["trend"][number]) => number, boolean][] = [
    ["Drain duration", (t) => t.drainMs ?? 0, false],
    ["p95 downtime", (t) => t.p95DowntimeMs ?? 0, false],
    ["VMs failed", (t) => t.failed, true],
  ];
  const colW = W / 3;
  const h = 50;
  const top = doc.y + 2;
  series.forEach(([title, value, isCount], s) => {
    const x0 = M + s * colW;
    const max = Math.max(1, ...r.trend.map(value));
    const bw = (colW - 12) / Math.max(1, r.trend.length);
    doc.font("Helvetica").fontSize(7.5).fillColor(MUTED).text(title, x0, top, { width: colW, lineBreak: false });
    r.trend.forEach((t, i) => {
      const bh = Math.max(0.5, (value(t) / max) * h);
      doc.rect(x0 + i * bw + 1, top + 12 + h - bh, bw - 2, bh).fill(t.current ? AMBER : "#9ca3af");
    });
    const last = r.trend.at(-1);
    if (last)
      doc
        .fillColor(INK)
        .text(pdfText(`this window: ${isCount ? value(last) : duration(value(last))}`), x0, top + h + 14, {
          width: colW,
          lineBreak: false,
        });
  });
  doc.x = M;
  doc.y = top + h + 28;
}
