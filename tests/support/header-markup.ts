// The live page's migration header rendered to static HTML, and one figure read back out of it: how
// tests check what on-call would see without a browser.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MigrationHeader } from "@/app/(console)/migrations/[id]/migration-header";
import type { MigrationView } from "@/lib/schemas/wire";
import { launchOptions } from "@/lib/schemas/migrations";

/** The header for `view`, with no stream-derived figures (elapsed, ETA, λ, verdict). */
export const renderHeader = (view: MigrationView, connection: "live" | "ended") =>
  renderToStaticMarkup(
    createElement(MigrationHeader, {
      view,
      options: launchOptions.parse(view.options),
      connection,
      attempt: 0,
      elapsedMs: null,
      etaMs: null,
      staleMs: null,
      lambdaAvg: null,
      verdict: null,
    }),
  );

/** The value under a header label (labels may carry a suffix such as "(completed job)"). */
export const headerStat = (html: string, label: string) =>
  html.match(new RegExp(`>${label}[^<]*</dt><dd[^>]*>(.*?)</dd>`))?.[1]?.replace(/<[^>]+>/g, "");
