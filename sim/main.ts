// CLI: start a simulated fleet from a fleet file and print one JSON "ready" line.
//   npx tsx sim/main.ts --fleet sim/fleets/demo.yaml --key-dir .data/sim/keys --base-port 2200 \
//     --control-port 7070 --time-scale 10 --seed 1 [--client-key ~/.ssh/id_ed25519.pub]
// Stops cleanly on SIGTERM/SIGINT.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { FleetFileError, loadFleetFile } from "./fleet-file";
import { startFleet } from "./fleet";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fleet: { type: "string", default: "sim/fleets/demo.yaml" },
      "key-dir": { type: "string", default: ".data/sim/keys" },
      "base-port": { type: "string", default: "0" },
      "control-port": { type: "string", default: "0" },
      "time-scale": { type: "string" },
      seed: { type: "string" },
      "client-key": { type: "string", multiple: true },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${v}`);
    return n;
  };
  const spec = loadFleetFile(values.fleet);
  const timeScale = num("time-scale", values["time-scale"]);
  const seed = num("seed", values.seed);
  const clientKeys = values["client-key"]?.map((p) => readFileSync(p, "utf8"));
  const fleet = await startFleet(spec, {
    keyDir: values["key-dir"],
    basePort: num("base-port", values["base-port"]) ?? 0,
    controlPort: num("control-port", values["control-port"]) ?? 0,
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(clientKeys ? { clientPublicKeys: clientKeys } : {}),
  });
  // Handlers first: whoever reads the ready line may signal us right away.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    fleet.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      hosts: fleet.hosts,
      control: fleet.controlUrl,
      clientKey: fleet.clientKey?.path,
      timeScale: fleet.state.timeScale,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof FleetFileError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
