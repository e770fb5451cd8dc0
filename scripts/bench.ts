// `npm run bench`: prints Convoy's measured figures. Each section is a function in scripts/bench/.
import { benchEvacuation } from "./bench/evacuation";
import { benchPrediction, benchStallDetection } from "./bench/prediction";

const section = (title: string) => process.stdout.write(`\n== ${title} ==\n`);

section("Prediction error (pre-start prediction vs simulated total time)");
const p = benchPrediction();
process.stdout.write(
  `${p.runs} migrations (M 1–64 GiB, λ 0–0.85 on 10/25 GbE, 30 % with a bandwidth cap; every 10th with λ > 1)\n` +
    `median error ${p.medianErrorPct.toFixed(1)} %   p90 ${p.p90ErrorPct.toFixed(1)} %   max ${p.maxErrorPct.toFixed(1)} %   (targets: median ≤ 10 %, p90 ≤ 20 %)\n` +
    `non-converging runs predicted as such: ${p.nonConvergentAgreed}\n`,
);

section("Stall detection latency (1 Hz samples, non-converging migrations)");
const s = benchStallDetection();
process.stdout.write(
  `median ${s.medianLatencyS} s   max ${s.maxLatencyS} s   missed ${s.missed}   (target ≤ 30 s)\n` +
    `false alarms on ${s.convergingRuns} converging runs: ${s.falseAlarms}\n`,
);

section("Evacuation (Convoy's planner vs most-free-RAM-all-at-once vs serial, executed on the simulator)");
process.stdout.write(`${await benchEvacuation()}\n`);
