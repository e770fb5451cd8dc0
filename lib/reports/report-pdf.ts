import "server-only";
import PDFDocument from "pdfkit";
import { duration } from "@/lib/migration/text";
import {
  headlineItems,
  interventionText,
  MIGRATION_COLUMNS,
  NOT_CONVERGED_COLUMNS,
  TREND_COLUMNS,
  utc,
} from "./report-view";
import type { Bars, Gantt, HistogramBin } from "./report-charts";
import { NOT_CONVERGED_SHOWN, type WindowReport } from "./window-report";

// The report page as a PDF, drawn with pdfkit's built-in Helvetica (no font files to fetch) and
// vector shapes: the same figures (report-view.ts), the same charts, and every migration, paged.
// Deterministic: the document's dates are the window's, so one window always gives the same bytes.

type Doc = PDFKit.PDFDocument;
type Column<T> = { label: string; text: (row: T) => string; numeric?: boolean; width: number };

const M = 40; // margin
const W = 595.28 - 2 * M; // A4 portrait content width
const BOTTOM = 841.89 - M;
const INK = "#111827";
const MUTED = "#6b7280";
const BLUE = "#0284c7";
const RED = "#e11d48";
const GREEN = "#059669";
const AMBER = "#d97706";
/** Lanes of the Gantt drawn in the PDF (a window with more source hosts lists the rest by count). */
const PDF_GANTT_LANES = 60;

export async function renderReportPdf(r: WindowReport, url: string): Promise<Buffer> {
  const when = new Date(r.window.endedAt ?? r.window.startedAt ?? 0);
  const doc = new PDFDocument({
    size: "A4",
    margin: M,
    bufferPages: false,
    info: { Title: `Convoy report: ${r.window.name}`, Author: "Convoy", CreationDate: when, ModDate: when },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc
    .font("Helvetica-Bold")
    .fontSize(16)
    .fillColor(INK)
    .text(pdfText(`Maintenance window report: ${r.window.name}`), M, M, { width: W });
  doc.font("Helvetica").fontSize(9).fillColor(MUTED);
  doc.text(
    pdfText(
      `State ${r.window.state} · run ${utc(r.window.startedAt)} -> ${utc(r.window.endedAt)} · downtime budget ${r.window.downtimeBudgetMs} ms per VM · policy ${r.window.policyName ?? "none"}`,
    ),
    { width: W },
  );
  doc.text(pdfText(`Online: ${url}`), { width: W });
  doc.moveDown(0.8);

  headline(doc, r);
  lists(doc, r);
  section(doc, "Migration time per VM (longest first)", 18 + r.durationBars.bars.length * 11 + 14);
  bars(doc, r.durationBars);
  section(doc, `Downtime per VM (budget ${r.window.downtimeBudgetMs} ms)`, 18 + r.downtimeBars.bars.length * 11 + 14);
  bars(doc, r.downtimeBars, r.window.downtimeBudgetMs);
  section(doc, "Downtime distribution (VMs per range; red: over the budget)", 130);
  histogram(doc, r.histogram);
  section(
    doc,
    `Planned vs actual${r.gantt.by === "source-host" ? " (per source host)" : ""}`,
    40 + Math.min(r.gantt.lanes.length, 10) * 11,
  );
  gantt(doc, r.gantt);

  section(doc, `Did not converge on their own (${r.notConverged.length})`, 60);
  if (r.notConverged.length === 0) note(doc, "Every migration converged without help.");
  else table(doc, NOT_CONVERGED_COLUMNS, r.notConverged.slice(0, NOT_CONVERGED_SHOWN));
  if (r.notConverged.length > NOT_CONVERGED_SHOWN)
    note(doc, `${r.notConverged.length - NOT_CONVERGED_SHOWN} more in the CSV (converged_on_its_own = false).`);

  section(doc, "Compared with earlier windows", 150);
  trend(doc, r);
  table(doc, TREND_COLUMNS, r.trend);

  section(doc, `Every migration (${r.rows.length})`, 60);
  table(doc, MIGRATION_COLUMNS, r.rows);

  doc.end();
  return done;
}

function headline(doc: Doc, r: WindowReport) {
  const items = headlineItems(r);
  const colW = W / 3;
  const rowH = 30;
  const top = doc.y;
  items.forEach((h, i) => {
    const x = M + (i % 3) * colW;
    const y = top + Math.floor(i / 3) * rowH;
    doc
      .font("Helvetica")
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(pdfText(h.label.toUpperCase()), x, y, { width: colW - 6, lineBreak: false });
    doc
      .font("Helvetica-Bold")
      .fontSize(11)
      .fillColor(h.alarm ? RED : INK)
      .text(pdfText(h.text), x, y + 9, { width: colW - 6, lineBreak: false, continued: !!h.detail });
    if (h.detail)
      doc
        .font("Helvetica")
        .fontSize(7.5)
        .fillColor(MUTED)
        .text(pdfText(`  ${h.detail}`), { lineBreak: false });
  });
  doc.x = M;
  doc.y = top + Math.ceil(items.length / 3) * rowH + 6;
}

function lists(doc: Doc, r: WindowReport) {
  const groups: [string, string[], string][] = [
    ["Operator interventions", r.interventions.map(interventionText), "No operator stepped in."],
    [
      "Escalations triggered",
      r.escalations.map((e) => `${e.step} by ${e.actor} ×${e.count}`),
      "The escalation policy never stepped in.",
    ],
    ["VMs not placed", r.unplaced.map((u) => `${u.vmName}: ${u.reason}`), "The plan placed every VM."],
  ];
  for (const [title, lines, empty] of groups) {
    section(doc, title, 30);
    if (lines.length === 0) note(doc, empty);
    for (const l of lines) {
      ensure(doc, 11);
      doc
        .font("Helvetica")
        .fontSize(8.5)
        .fillColor(INK)
        .text(pdfText(`• ${l}`), M, doc.y, { width: W });
    }
  }
}

function bars(doc: Doc, data: Bars, budgetMs?: number) {
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

function histogram(doc: Doc, bins: HistogramBin[]) {
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

function gantt(doc: Doc, g: Gantt) {
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

function trend(doc: Doc, r: WindowReport) {
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

/** A table that continues on the next pages, its header repeated; cells cut to their column. */
function table<T>(doc: Doc, cols: Column<T>[], rows: T[]) {
  const scale = W / cols.reduce((s, c) => s + c.width, 0);
  const widths = cols.map((c) => c.width * scale);
  const rowH = 10.5;
  const header = () => {
    let x = M;
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(7).fillColor(MUTED);
    cols.forEach((c, i) => {
      doc.text(pdfText(c.label), x, y, {
        width: (widths[i] ?? 0) - 3,
        align: c.numeric ? "right" : "left",
        lineBreak: false,
      });
      x += widths[i] ?? 0;
    });
    doc
      .moveTo(M, y + 9)
      .lineTo(M + W, y + 9)
      .lineWidth(0.5)
      .strokeColor("#d1d5db")
      .stroke();
    doc.y = y + rowH + 1;
  };
  ensure(doc, rowH * 3);
  header();
  doc.font("Helvetica").fontSize(7).fillColor(INK);
  for (const row of rows) {
    if (doc.y + rowH > BOTTOM) {
      doc.addPage();
      doc.y = M;
      header();
      doc.font("Helvetica").fontSize(7).fillColor(INK);
    }
    let x = M;
    const y = doc.y;
    cols.forEach((c, i) => {
      const w = widths[i] ?? 0;
      doc.text(fit(c.text(row), w - 3, 7), x, y, {
        width: w - 3,
        align: c.numeric ? "right" : "left",
        lineBreak: false,
      });
      x += w;
    });
    doc.y = y + rowH;
  }
  doc.x = M;
  doc.moveDown(0.5);
}

function section(doc: Doc, title: string, need: number) {
  ensure(doc, Math.min(need, 300));
  doc.moveDown(0.4);
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK).text(pdfText(title), M, doc.y, { width: W });
  doc.moveDown(0.2);
}

function note(doc: Doc, text: string) {
  ensure(doc, 11);
  doc.font("Helvetica").fontSize(7.5).fillColor(MUTED).text(pdfText(text), M, doc.y, { width: W });
}

function ensure(doc: Doc, height: number) {
  if (doc.y + height > BOTTOM) {
    doc.addPage();
    doc.y = M;
  }
}

/** Cut to about what fits (Helvetica averages ~0.5 em a character): no per-cell width measuring. */
function fit(s: string, width: number, fontSize: number): string {
  const max = Math.max(3, Math.floor(width / (fontSize * 0.5)));
  const t = pdfText(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The standard fonts speak WinAnsi: spell out the arrows and signs it lacks. */
function pdfText(s: string): string {
  return s.replace(/→/g, "->").replace(/≤/g, "<=").replace(/≥/g, ">=").replace(/λ/g, "lambda");
}
