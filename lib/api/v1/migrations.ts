import "server-only";
import {
  abortMigrationAction,
  precheckMigrationAction,
  predictMigrationAction,
  restartWithAutoConvergeAction,
  setBandwidthAction,
  setMaxDowntimeAction,
  startMigrationAction,
  suspendToFinishAction,
  switchToPostcopyAction,
  throttleHarderAction,
} from "@/lib/actions/migrations";
import { type Endpoint, fromAction, read } from "@/lib/api/endpoint";
import { idParam } from "@/lib/api/params";
import { getMigrationList } from "@/lib/db/migration-list";
import { getMigrationView } from "@/lib/db/migration-view";
import { AppError } from "@/lib/errors";
import { migrationListQuery } from "@/lib/schemas/migration-list";
import {
  migrationControlInput,
  precheckInput,
  predictInput,
  setBandwidthInput,
  setMaxDowntimeInput,
  startMigrationInput,
  throttleHarderInput,
} from "@/lib/schemas/migrations";

// Migrations: pre-check, predict and start (on a VM), the operator controls, history and replay.
// Each mutating endpoint is the console's server action, run as the token's owner.

const vmPath = (suffix: string) => `/vms/{id}/${suffix}`;
const control = (suffix: string) => `/migrations/{id}/${suffix}`;
const withMigration = (p: { id: string }, body: object) => ({ ...body, migrationId: p.id });

export const migrationEndpoints: Endpoint[] = [
  read({ method: "get", path: "/migrations", summary: "Migrations in flight and the filtered history", tag: "migrations", audit: "api.v1.migrations.read", query: migrationListQuery }, ({ query }) =>
    getMigrationList(query),
  ),
  read({ method: "get", path: "/migrations/{id}", summary: "One migration: state, outcome, where the guest is, its samples and events", tag: "migrations", audit: "api.v1.migrations.read", params: idParam }, async ({ params }) => {
    const view = await getMigrationView(params.id);
    if (!view) throw new AppError("NOT_FOUND", "No such migration.");
    return view;
  }),
  fromAction(precheckMigrationAction, "precheckMigrationAction", { method: "post", path: vmPath("precheck"), summary: "Run the pre-checks against a destination (or `best`)", tag: "migrations", params: idParam, body: precheckInput.omit({ vmId: true }) }, (p, b) => ({ ...b, vmId: p.id })),
  fromAction(predictMigrationAction, "predictMigrationAction", { method: "post", path: vmPath("predict"), summary: "Measure the dirty rate and predict the migration", tag: "migrations", params: idParam, body: predictInput.omit({ vmId: true }) }, (p, b) => ({ ...b, vmId: p.id })),
  fromAction(startMigrationAction, "startMigrationAction", { method: "post", path: vmPath("migrations"), summary: "Start a live migration (the pre-checks run again first)", tag: "migrations", params: idParam, body: startMigrationInput.omit({ vmId: true }) }, (p, b) => ({ ...b, vmId: p.id })),
  fromAction(setMaxDowntimeAction, "setMaxDowntimeAction", { method: "post", path: control("max-downtime"), summary: "Set the max downtime (read back from the host)", tag: "controls", params: idParam, body: setMaxDowntimeInput.omit({ migrationId: true }) }, withMigration),
  fromAction(setBandwidthAction, "setBandwidthAction", { method: "post", path: control("bandwidth"), summary: "Set the bandwidth cap (read back from the host)", tag: "controls", params: idParam, body: setBandwidthInput.omit({ migrationId: true }) }, withMigration),
  fromAction(throttleHarderAction, "throttleHarderAction", { method: "post", path: control("throttle-harder"), summary: "Throttle the guest harder (auto-converge runs only)", tag: "controls", params: idParam, body: throttleHarderInput.omit({ migrationId: true }) }, withMigration),
  fromAction(restartWithAutoConvergeAction, "restartWithAutoConvergeAction", { method: "post", path: control("restart-auto-converge"), summary: "Abort and start again with auto-converge", tag: "controls", params: idParam, body: throttleHarderInput.omit({ migrationId: true }) }, withMigration),
  fromAction(suspendToFinishAction, "suspendToFinishAction", { method: "post", path: control("suspend"), summary: "Pause the guest so the migration finishes", tag: "controls", params: idParam, body: migrationControlInput.omit({ migrationId: true }) }, withMigration),
  fromAction(switchToPostcopyAction, "switchToPostcopyAction", { method: "post", path: control("postcopy"), summary: "Switch to post-copy (armed migrations only)", tag: "controls", params: idParam, body: migrationControlInput.omit({ migrationId: true }) }, withMigration),
  fromAction(abortMigrationAction, "abortMigrationAction", { method: "post", path: control("abort"), summary: "Abort the migration (the guest stays on the source)", tag: "controls", params: idParam, body: migrationControlInput.omit({ migrationId: true }) }, withMigration),
];
