import "server-only";
import PDFDocument from "pdfkit";
import {
  headlineItems,
  interventionText,
  MIGRATION_COLUMNS,
  NOT_CONVERGED_COLUMNS,
  TREND_COLUMNS,
  utc,
} from "./report-view";
import { bars, gantt, histogram, trend } from "./report-pdf-charts";
import { type Doc, ensure, INK, M, MUTED, note, pdfText, RED, section, table, W } from "./report-pdf-kit";
import { NOT_CONVERGED_SHOWN, type WindowReport } from "./window-report";

// The report page as a PDF, drawn with pdfkit's built-in Helvetica (no font files to fetch) and
// vector shapes: the same figures (report-view.ts), the same charts, and every migration, paged.
// Deterministic: the document's dates are the window's, so one window always gives the same bytes.

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
