// Issue 17: is a maintenance window's page usable at 5,000 moves? A real Postgres, the production
// build (`next start`), an operator's session and Debian's Chromium through Playwright. For a
// 500- and a 5,000-move plan (the planner's own, on scaleFleet's generated fleets) it opens
// /windows/:id and prints: the HTML's size, first contentful paint, when the first plan-table row
// was painted, when the page was hydrated (the host Gantt drew), the DOM's node count, the table rows in the DOM, the time a keyboard End takes to
// bring the last move into view, and the host Gantt's lanes and bars (all vs drawn); then the same
// plan as a completed run's /windows/:id/report: load time, HTML size, DOM nodes. Medians of 3
// loads after a warm-up. Ports: BENCH_PG_PORT (default 41553), BENCH_WEB_PORT (default 41554).
import { type Browser, chromium, type Page } from "@playwright/test";
import pg from "pg";
import { hostLanes, visibleLanes } from "@/app/(console)/windows/[id]/host-lanes";
import { stopAll } from "../lib/processes";
import { freshDatabase, startBuiltConsole } from "./built-console";
import { type SeededWindow, seedHosts, seedPlannedWindow, seedSession } from "./plan-page-seed";
import { median } from "./report";

const SIZES = [500, 5000];
const RUNS = 3;
/** The host Gantt's canvas height (host-lane-gantt.tsx VIEW_PX): what is drawn before any scroll. */
const GANTT_VIEW_PX = 420;
const TABLE = '[data-testid="plan-table"]';

type PlanFigures = {
  htmlBytes: number;
  fcpMs: number;
  tableMs: number;
  ganttMs: number;
  domNodes: number;
  rows: number;
  endMs: number;
  endPresses: number;
  lanes: number;
  bars: number;
  drawnBars: number;
};
type ReportFigures = { loadMs: number; htmlBytes: number; domNodes: number };

export async function benchPlanPage(): Promise<string> {
  const database = await freshDatabase({
    dataDir: "bench-plan-page/pg",
    port: Number(process.env.BENCH_PG_PORT ?? 41553),
    dbName: "convoy_bench_plan_page",
  });
  const url = database.url;
  const lines: string[] = [];
  try {
    process.env.DATABASE_URL = url;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const token = await seedSession(c);
    await seedHosts(c, Math.max(...SIZES) / 2);
    const windows: SeededWindow[] = [];
    for (const n of SIZES) windows.push(await seedPlannedWindow(c, n));
    await c.query("ANALYZE");
    await c.end();
    const base = await startBuiltConsole(url, Number(process.env.BENCH_WEB_PORT ?? 41554), "for the plan page");
    try {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu"],
      });
      try {
        for (const w of windows) lines.push(...(await measureWindow(browser, base, token, w)));
      } finally {
        await browser.close();
      }
    } finally {
      await stopAll();
    }
  } finally {
    await database.stop();
  }
  return lines.join("\n");
}

async function measureWindow(browser: Browser, base: string, token: string, w: SeededWindow): Promise<string[]> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await ctx.addCookies([{ name: "convoy_session", value: token, url: base }]);
  await ctx.addInitScript(watchFirstRow, TABLE);
  try {
    const plans: PlanFigures[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const page = await ctx.newPage();
      const f = await planPage(page, `${base}/windows/${w.planId}`, w.moves);
      if (i > 0) plans.push(f); // the first load warms the server up
      await page.close();
    }
    const reports: ReportFigures[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const page = await ctx.newPage();
      const f = await reportPage(page, `${base}/windows/${w.reportId}/report`);
      if (i > 0) reports.push(f);
      await page.close();
    }
    return describe(w, plans, reports);
  } finally {
    await ctx.close();
  }
}

/**
 * Runs in the page before its scripts: notes when the first plan-table row was painted, and when the
 * host Gantt first drew bars (its effect ran: the page is hydrated and interactive).
 */
function watchFirstRow(table: string) {
  // No named inner functions: tsx's esbuild wraps them in a __name() helper the page does not have.
  const w = window as unknown as Marks;
  new MutationObserver((_, obs) => {
    if (w.firstRowMs === undefined && document.querySelector(`${table} tbody tr[data-move-vm]`)) {
      w.firstRowMs = Number.NaN;
      requestAnimationFrame(() => {
        w.firstRowMs = performance.now();
      });
    }
    if (w.ganttMs === undefined && document.querySelector('[data-testid="host-gantt"]:not([data-drawn="0"])')) {
      w.ganttMs = Number.NaN;
      requestAnimationFrame(() => {
        w.ganttMs = performance.now();
      });
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-drawn"] });
}
type Marks = { firstRowMs?: number; ganttMs?: number };

async function planPage(page: Page, url: string, moves: number): Promise<PlanFigures> {
  const res = await page.goto(url, { waitUntil: "load" });
  const htmlBytes = (await res?.body())?.length ?? 0;
  await page.waitForFunction(() => {
    const m = window as unknown as Marks;
    return (m.firstRowMs ?? Number.NaN) >= 0 && (m.ganttMs ?? Number.NaN) >= 0;
  });
  await page.waitForLoadState("networkidle");
  const figures = await page.evaluate((table) => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN;
    const g = document.querySelector('[data-testid="host-gantt"]');
    return {
      fcpMs: fcp,
      tableMs: (window as unknown as Required<Marks>).firstRowMs,
      ganttMs: (window as unknown as Required<Marks>).ganttMs,
      domNodes: document.getElementsByTagName("*").length,
      rows: document.querySelectorAll(`${table} tbody tr[data-move-vm]`).length,
      lanes: Number(g?.getAttribute("data-lanes")),
      bars: Number(g?.getAttribute("data-bars")),
      drawnBars: Number(g?.getAttribute("data-drawn")),
    };
  }, TABLE);
  const { endMs, endPresses } = await keyboardToEnd(page, moves);
  return { htmlBytes, ...figures, endMs, endPresses };
}

/** Focus the table's scroll box and press End until the last move's row (aria-rowindex n + 1) is in the DOM. */
async function keyboardToEnd(page: Page, moves: number): Promise<{ endMs: number; endPresses: number }> {
  await page.locator(TABLE).locator("xpath=..").focus();
  const last = page.locator(`${TABLE} tbody tr[aria-rowindex="${moves + 1}"]`);
  const t = performance.now();
  for (let presses = 1; presses <= 10; presses++) {
    await page.keyboard.press("End");
    try {
      await last.waitFor({ state: "visible", timeout: 2_000 });
      return { endMs: performance.now() - t, endPresses: presses };
    } catch {}
  }
  return { endMs: Number.NaN, endPresses: 10 };
}

async function reportPage(page: Page, url: string): Promise<ReportFigures> {
  const t = performance.now();
  const res = await page.goto(url, { waitUntil: "load" });
  const loadMs = performance.now() - t;
  const htmlBytes = (await res?.body())?.length ?? 0;
  await page.waitForSelector('[data-testid="window-report"]');
  const domNodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  return { loadMs, htmlBytes, domNodes };
}

function describe(w: SeededWindow, plans: PlanFigures[], reports: ReportFigures[]): string[] {
  const m = <T>(xs: T[], f: (x: T) => number) => median(xs.map(f));
  const ms = (x: number) => `${Math.round(x)} ms`;
  const kib = (x: number) => `${Math.round(x / 1024)} KiB`;
  const layout = hostLanes(w.laneMoves);
  const drawnLanes = visibleLanes(layout, 0, GANTT_VIEW_PX).length;
  return [
    `${w.moves} moves (planned in ${(w.planMs / 1000).toFixed(1)} s), /windows/:id, median of ${plans.length}:`,
    `  HTML ${kib(m(plans, (p) => p.htmlBytes))}, first contentful paint ${ms(m(plans, (p) => p.fcpMs))}, first plan-table row painted ${ms(m(plans, (p) => p.tableMs))}, hydrated (host Gantt drawn) ${ms(m(plans, (p) => p.ganttMs))}`,
    `  DOM ${m(plans, (p) => p.domNodes)} nodes, plan-table rows in the DOM ${m(plans, (p) => p.rows)} of ${w.moves}`,
    `  keyboard End to the last move: ${ms(m(plans, (p) => p.endMs))} (${m(plans, (p) => p.endPresses)} press)`,
    `  host Gantt: ${m(plans, (p) => p.lanes)} lanes, ${drawnLanes} drawn; ${m(plans, (p) => p.bars)} bars, ${m(plans, (p) => p.drawnBars)} drawn`,
    `  /windows/:id/report (completed run of the same plan, ${w.moves} migrations): load ${ms(m(reports, (r) => r.loadMs))}, HTML ${kib(m(reports, (r) => r.htmlBytes))}, DOM ${m(reports, (r) => r.domNodes)} nodes`,
  ];
}
