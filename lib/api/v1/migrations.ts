import "server-only";
import {
  controlMigrationAction,
  precheckMigrationAction,
  predictMigrationAction,
  startMigrationAction,
} from "@/lib/actions/migrations";
import { type Endpoint, fromAction, read } from "@/lib/api/endpoint";
import { idParam } from "@/lib/api/params";
import { getMigrationList } from "@/lib/db/migration-list";
import { getMigrationView } from "@/lib/db/migration-view";
import { AppError } from "@/lib/errors";
import { migrationListQuery } from "@/lib/schemas/migration-list";
import { migrationList, migrationView } from "@/lib/schemas/wire";
import { CONTROL_TEXT, controlBody, OPERATOR_ACTIONS } from "@/lib/migration/operator-actions";
import { precheckInput, predictInput, startMigrationInput } from "@/lib/schemas/migrations";

// Migrations: pre-check, predict and start (on a VM), the operator controls, history and replay.
// Each mutating endpoint is the console's server action, run as the token's owner.

const vmPath = (suffix: string) => `/vms/{id}/${suffix}`;

export const migrationEndpoints: Endpoint[] = [
  read(
    {
      method: "get",
      path: "/migrations",
      summary: "Migrations in flight and the filtered history",
      tag: "migrations",
      audit: "api.v1.migrations.read",
      query: migrationListQuery,
      response: migrationList,
    },
    ({ query }) => getMigrationList(query),
  ),
  read(
    {
      method: "get",
      path: "/migrations/{id}",
      summary: "One migration: state, outcome, where the guest is, its samples and events",
      tag: "migrations",
      audit: "api.v1.migrations.read",
      params: idParam,
      response: migrationView,
    },
    async ({ params }) => {
      const view = await getMigrationView(params.id);
      if (!view) throw new AppError("NOT_FOUND", "No such migration.");
      return view;
    },
  ),
  fromAction(
    precheckMigrationAction,
    "precheckMigrationAction",
    {
      method: "post",
      path: vmPath("precheck"),
      summary: "Run the pre-checks against a destination (or `best`)",
      tag: "migrations",
      params: idParam,
      body: precheckInput.omit({ vmId: true }),
    },
    (p, b) => ({ ...b, vmId: p.id }),
  ),
  fromAction(
    predictMigrationAction,
    "predictMigrationAction",
    {
      method: "post",
      path: vmPath("predict"),
      summary: "Measure the dirty rate and predict the migration",
      tag: "migrations",
      params: idParam,
      body: predictInput.omit({ vmId: true }),
    },
    (p, b) => ({ ...b, vmId: p.id }),
  ),
  fromAction(
    startMigrationAction,
    "startMigrationAction",
    {
      method: "post",
      path: vmPath("migrations"),
      summary: "Start a live migration (the pre-checks run again first)",
      tag: "migrations",
      params: idParam,
      body: startMigrationInput.omit({ vmId: true }),
    },
    (p, b) => ({ ...b, vmId: p.id }),
  ),
  // One endpoint per control, each named, summed up and audited as the control itself.
  ...OPERATOR_ACTIONS.map((action) =>
    fromAction(
      controlMigrationAction,
      "controlMigrationAction",
      {
        method: "post",
        path: `/migrations/{id}/controls/${action}`,
        summary: CONTROL_TEXT[action].summary,
        tag: "controls",
        params: idParam,
        body: controlBody(action),
        audit: `migration.${action}`,
      },
      (p, b) => ({ ...b, action, migrationId: p.id }),
    ),
  ),
];
