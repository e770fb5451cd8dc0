// Issue 18 item 6: axe on every page with no serious or critical violation, in both themes. Each
// console page is visited as an admin, who sees every control a page has; /login anonymously. One
// signed-in page visits them all. The full WCAG 2.1 A/AA rule set runs in the dark theme (the
// default); the light theme is then checked for contrast only — the one thing a theme changes — by
// switching <html data-theme> in place. Each page's counts by impact and its timings are printed
// for the closing note.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { consolePages } from "../tests/hostile/surface";
import { concrete, plantCanary, removeCanary } from "./canary";
import { expect, login, test } from "./fixtures";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Scan = { counts: Record<string, string[]>; serious: string[] };

/**
 * Runs axe in the page itself (legacy mode: no extra blank page per run) and lists the rules it finds violated by impact.
 * Only violations are itemised (resultTypes): axe then stops collecting every passing node, which is
 * most of its time on a long table; what it checks is unchanged.
 */
async function scan(page: Page, where: string, rules?: string[]): Promise<Scan> {
  const builder = new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(WCAG)
    .options({ resultTypes: ["violations"] });
  const { violations } = await (rules ? builder.withRules(rules) : builder).analyze();
  const counts: Record<string, string[]> = {}; // impact → "rule ×nodes"
  for (const v of violations) {
    const impact = v.impact ?? "none";
    counts[impact] = [...(counts[impact] ?? []), `${v.id} ×${v.nodes.length}`];
  }
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where} ${v.impact} ${v.id}: ${v.nodes
          .map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`.slice(0, 300))
          .slice(0, 3)
          .join(" | ")}`,
    );
  return { counts, serious };
}

test("every page, dark and light: no serious or critical axe violations", async ({ page, browser, baseURL, sql }) => {
  test.setTimeout(240_000); // 66 s on a quiet box; more than twice that at a load average of 13
  const canary = await plantCanary(sql);
  const anonymous = await browser.newPage({ baseURL });
  await login(page, "admin");
  const serious: string[] = [];
  try {
    for (const p of consolePages()) {
      const tab = p.route === "/login" ? anonymous : page;
      const t0 = Date.now();
      const res = await tab.goto(concrete(p.route, canary));
      expect(res?.status(), `${p.route} answers`).toBe(200); // a 404 page would be checked instead
      await tab.waitForFunction(() => (window as unknown as { next?: { version?: string } }).next?.version); // hydrated
      await expect(tab.locator("html")).toHaveAttribute("data-theme", "dark"); // the default
      const t1 = Date.now();
      const dark = await scan(tab, `${p.route} dark`);
      await tab.evaluate(() => {
        document.documentElement.dataset.theme = "light";
      });
      const light = await scan(tab, `${p.route} light`, ["color-contrast"]);
      serious.push(...dark.serious, ...light.serious);
      process.stdout.write(
        `axe ${p.route}: dark ${JSON.stringify(dark.counts)} light (contrast) ${JSON.stringify(light.counts)}` +
          ` — load ${t1 - t0} ms, axe ${Date.now() - t1} ms\n`,
      );
    }
  } finally {
    await anonymous.close();
    await removeCanary(sql, canary);
  }
  expect(serious).toEqual([]);
});
