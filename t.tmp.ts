import { benchPrediction } from "./scripts/bench/prediction";
for (const seed of [16, 1, 2, 3, 4, 5, 6, 7]) {
  const r = benchPrediction(seed === 16 ? 200 : 400, seed);
  console.log(seed, JSON.stringify({ t: [r.total.median.toFixed(1), r.total.p90.toFixed(1)], d: r.downtime.p90.toFixed(1), c: r.confusion }));
}
