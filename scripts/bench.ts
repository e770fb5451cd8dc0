// `npm run bench`: prints Convoy's measured figures. Each section is a function in scripts/bench/.
// `npm run bench -- load` (or prediction, stall, advice, evacuation, inventory, report, plan-page, lab) runs only the sections named.
import { adviceText, benchAdvice } from "./bench/advice";
import { benchEvacuation } from "./bench/evacuation";
import { benchEvacuationSummary } from "./bench/evacuation-summary";
import { benchInventory } from "./bench/inventory";
import { benchLab } from "./bench/lab";
import { benchLoad } from "./bench/load";
import { benchPlanPage } from "./bench/plan-page";
import { benchPrediction, benchStallDetection } from "./bench/prediction";
import { benchReport, median } from "./bench/report";

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);
const section = (title: string) => process.stdout.write(`\n== ${title} ==\n`);

if (wanted("prediction")) {
  section("Prediction (the console's measurement + what-if engine vs the simulated migration)");
  const p = benchPrediction();
  const f = (x: { median: number; p90: number; max: number }) =>
    `median ${x.median.toFixed(1)} %   p90 ${x.p90.toFixed(1)} %   max ${x.max.toFixed(1)} %`;
  const row = (v: keyof typeof p.confusion) =>
    `  ${v.padEnd(10)} ${String(p.confusion[v].converged).padStart(9)} ${String(p.confusion[v].not).padStart(14)}\n`;
  process.stdout.write(
    `${p.runs} cases: M 1–512 GiB (0–90 % zero pages), λ 0–1.6, hot set 1–100 % of memory, 1/10/25/100 GbE, max downtime 30 ms–2 s, half capped\n` +
      `total time (${p.compared} converging on both sides): ${f(p.total)}   (targets: median ≤ 10 %, p90 ≤ 25 %)\n` +
      `  of which GO verdicts:                ${f(p.totalGo)}\n` +
      `downtime:                              ${f(p.downtime)}   (target: p90 ≤ 30 %)\n` +
      `verdict    converged  did not converge   (target: no GO that did not converge)\n${row("go")}${row("no-go")}${row("uncertain")}`,
  );
}

if (wanted("advice")) {
  section("Advice on the seed-000 case (batch-stress-01): each offered fix, predicted vs applied on the simulator");
  process.stdout.write(adviceText(benchAdvice()));
}

if (wanted("stall")) {
  section("Stall detection latency (1 Hz samples, non-converging migrations)");
  const s = benchStallDetection();
  process.stdout.write(
    `median ${s.medianLatencyS} s   max ${s.maxLatencyS} s   missed ${s.missed}   (target ≤ 30 s)\n` +
      `false alarms on ${s.convergingRuns} converging runs: ${s.falseAlarms}\n`,
  );
}

if (wanted("evacuation")) {
  section("Evacuation (Convoy's planner vs most-free-RAM-all-at-once vs serial, executed on the simulator)");
  process.stdout.write(`${await benchEvacuation()}\n`);
  section("Evacuation, issue 17 (unseen fleets executed on the simulator; planner time ladder)");
  process.stdout.write(
    `uptime: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (load on 2 cores; timings are noisy under load)\n`,
  );
  process.stdout.write(`${await benchEvacuationSummary()}\n`);
}

// Real QEMU: only when named (root, the lab set up with lab/lab.sh setup; ~15 min).
if (only.has("lab")) {
  section(
    "Lab (real QEMU 7.2 / libvirt 9.0 migrations: Convoy's measurement + what-if engine vs domjobinfo --completed)",
  );
  process.stdout.write(`${await benchLab()}\n`);
}

if (wanted("load")) {
  section("Load (500 hosts, 200 migrations sampled at 1 Hz, 20 browsers; real stack; ~4 min)");
  process.stdout.write(`${await benchLoad()}\n`);
}

if (wanted("inventory")) {
  section("Inventory at scale (2,000 simulated hosts, 1 then 2 workers; real stack; ~3 min)");
  process.stdout.write(`${await benchInventory()}\n`);
}

if (wanted("report")) {
  section("Window report (10,000 VMs / 10,200 migrations; real Postgres, production build)");
  {
    const r = await benchReport();
    const f = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (max ${Math.max(...xs).toFixed(0)})`;
    process.stdout.write(
      `${r.vms} VMs, ${r.migrations} migrations in the window\n` +
        `data + aggregation (lib/db/window-report):   ${f(r.loadMs)}\n` +
        `CSV generation:                              ${f(r.csvMs)}\n` +
        `PDF generation (${r.pdfPages} pages, ${(r.pdfBytes / 1024).toFixed(0)} KiB):          ${f(r.pdfMs)}\n` +
        (r.page
          ? `GET /windows/:id/report, whole HTML (${(r.page.bytes / 1024).toFixed(0)} KiB):  ${f(r.page.ms)}   (target < 2000 ms)\n` +
            `GET report.csv end to end (${((r.csvRoute?.bytes ?? 0) / 1024).toFixed(0)} KiB):       ${f(r.csvRoute?.ms ?? [])}\n` +
            `GET report.pdf end to end:                   ${f(r.pdfRoute?.ms ?? [])}\n`
          : ""),
    );
  }
}

if (wanted("plan-page")) {
  section("Plan page at 500 and 5,000 moves (real Postgres, production build, Chromium)");
  process.stdout.write(`${await benchPlanPage()}\n`);
}
