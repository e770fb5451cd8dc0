import "server-only";
import { z } from "zod";
import {
  armWindowAction,
  cancelWindowAction,
  createWindowAction,
  disarmWindowAction,
  pauseWindowAction,
  planWindowAction,
  resumeWindowAction,
  runWindowAction,
} from "@/lib/actions/windows";
import { type Endpoint, fromAction, read } from "@/lib/api/endpoint";
import { idParam } from "@/lib/api/params";
import { reportCsvResponse } from "@/lib/api/report-files";
import { getWindowReport } from "@/lib/db/window-report";
import { getWindowView, listWindows } from "@/lib/db/windows";
import { AppError } from "@/lib/errors";
import { createWindowInput } from "@/lib/schemas/windows";
import { windowView } from "@/lib/schemas/wire-window";

// Maintenance windows (host drains): create, plan (dry run), run, pause, resume, arm for the start
// time, disarm, cancel, report.

const step = (action: Parameters<typeof fromAction>[0], name: string, verb: string, summary: string) =>
  fromAction(
    action,
    name,
    {
      method: "post",
      path: `/windows/{id}/${verb}`,
      summary,
      tag: "windows",
      params: idParam,
      body: z.strictObject({}),
    },
    (p) => ({ windowId: p.id }),
  );

export const windowEndpoints: Endpoint[] = [
  read(
    {
      method: "get",
      path: "/windows",
      summary: "The latest maintenance windows with their progress",
      tag: "windows",
      audit: "api.v1.windows.read",
    },
    () => listWindows(),
  ),
  read(
    {
      method: "get",
      path: "/windows/{id}",
      summary: "One window: its plan, moves and their migrations",
      tag: "windows",
      audit: "api.v1.windows.read",
      params: idParam,
      response: windowView,
    },
    async ({ params }) => {
      const view = await getWindowView(params.id);
      if (!view) throw new AppError("NOT_FOUND", "No such maintenance window.");
      return view;
    },
  ),
  read(
    {
      method: "get",
      path: "/windows/{id}/report",
      summary: "The window's report (what the report page shows) as JSON",
      tag: "windows",
      audit: "api.v1.windows.report",
      params: idParam,
    },
    async ({ params }) => {
      const report = await getWindowReport(params.id);
      if (!report) throw new AppError("NOT_FOUND", "No such maintenance window.");
      return report;
    },
  ),
  read(
    {
      method: "get",
      path: "/windows/{id}/report.csv",
      summary: "One CSV row per migration of the window",
      tag: "windows",
      audit: "api.v1.windows.report.csv",
      params: idParam,
      produces: "text/csv",
    },
    ({ req, params }) => reportCsvResponse(params.id, req.nextUrl.origin),
  ),
  fromAction(
    createWindowAction,
    "createWindowAction",
    {
      method: "post",
      path: "/windows",
      summary: "Create a maintenance window (hosts to drain, limits, policy)",
      tag: "windows",
      body: createWindowInput,
    },
    (_p, b) => b,
  ),
  step(planWindowAction, "planWindowAction", "plan", "Plan the drain (dry run: measures dirty rates, nothing moves)"),
  step(runWindowAction, "runWindowAction", "run", "Run a planned window"),
  step(pauseWindowAction, "pauseWindowAction", "pause", "Pause a running window (moves in flight finish)"),
  step(resumeWindowAction, "resumeWindowAction", "resume", "Resume a paused window"),
  step(
    armWindowAction,
    "armWindowAction",
    "arm",
    "Approve the plan: the worker starts the window at its start time, on the caller's behalf",
  ),
  step(disarmWindowAction, "disarmWindowAction", "disarm", "Withdraw the approval: the window waits for a Run again"),
  step(cancelWindowAction, "cancelWindowAction", "cancel", "Cancel the moves not started yet"),
];
