// The PDF report's page, type and layout primitives (report-pdf.ts, report-pdf-charts.ts): A4
// with margins, section titles that keep with what follows, notes, and paged tables.

export type Doc = PDFKit.PDFDocument;
type Column<T> = { label: string; text: (row: T) => string; numeric?: boolean; width: number };

export const M = 40; // margin
export const W = 595.28 - 2 * M; // A4 portrait content width
const BOTTOM = 841.89 - M;
export const INK = "#111827";
export const MUTED = "#6b7280";
export const BLUE = "#0284c7";
export const RED = "#e11d48";
export const GREEN = "#059669";
export const AMBER = "#d97706";

/** A table that continues on the next pages, its header repeated; cells cut to their column. */
export function table<T>(doc: Doc, cols: Column<T>[], rows: T[]) {
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

export function section(doc: Doc, title: string, need: number) {
  ensure(doc, Math.min(need, 300));
  doc.moveDown(0.4);
  doc.font("Helvetica-Bold").fontSize(11).fillColor(INK).text(pdfText(title), M, doc.y, { width: W });
  doc.moveDown(0.2);
}

export function note(doc: Doc, text: string) {
  ensure(doc, 11);
  doc.font("Helvetica").fontSize(7.5).fillColor(MUTED).text(pdfText(text), M, doc.y, { width: W });
}

export function ensure(doc: Doc, height: number) {
  if (doc.y + height > BOTTOM) {
    doc.addPage();
    doc.y = M;
  }
}

/** Cut to about what fits (Helvetica averages ~0.5 em a character): no per-cell width measuring. */
export function fit(s: string, width: number, fontSize: number): string {
  const max = Math.max(3, Math.floor(width / (fontSize * 0.5)));
  const t = pdfText(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The standard fonts speak WinAnsi: spell out the arrows and signs it lacks. */
export function pdfText(s: string): string {
  return s.replace(/→/g, "->").replace(/≤/g, "<=").replace(/≥/g, ">=").replace(/λ/g, "lambda");
}
