// Issue 18 item 6: axe on every page with no serious or critical violation, in both themes. Each
// console page is visited as an admin, who sees every control a page has; /login anonymously. The
// light theme is checked for contrast (the only rule a theme changes) by switching <html data-theme>
// in place. The counts by impact are printed for the closing note.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { consolePages } from "../tests/hostile/surface";
import { type Canary, plantCanary, removeCanary } from "./canary";
import { expect, login, test } from "./fixtures";

const ID_FOR: Record<string, keyof Canary["ids"]> = { migrations: "migration", vms: "vm", windows: "window" };
const concrete = (route: string, c: Canary) =>
  route.replace(/\/(\w+)\/\[\w+\]/g, (_, folder: string) => `/${folder}/${c.ids[ID_FOR[folder] ?? "vm"]}`);
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe in the page itself (legacy mode: no extra blank page per run) and sums nodes by impact. */
async function scan(page: Page, where: string, rules?: string[]) {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).withTags(WCAG);
  const { violations } = await (rules ? builder.withRules(rules) : builder).analyze();
  const byImpact: Record<string, number> = {};
  for (const v of violations) byImpact[v.impact ?? "none"] = (byImpact[v.impact ?? "none"] ?? 0) + v.nodes.length;
  process.stdout.write(`axe ${where}: ${JSON.stringify(byImpact)}\n`);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where} ${v.impact} ${v.id}: ${v.nodes
          .map((n) => `${n.target.join(" ")} ${n.failureSummary ?? ""}`.slice(0, 300))
          .slice(0, 3)
          .join(" | ")}`,
    );
}

test("every page, dark and light: no serious or critical axe violations", async ({ page, browser, baseURL, sql }) => {
  test.setTimeout(300_000);
  const canary = await plantCanary(sql);
  const anonymous = await browser.newPage({ baseURL });
  await login(page, "admin");
  const serious: string[] = [];
  try {
    for (const p of consolePages()) {
      const tab = p.route === "/login" ? anonymous : page;
      await tab.goto(concrete(p.route, canary));
      await tab.waitForFunction(() => (window as unknown as { next?: { version?: string } }).next?.version); // hydrated
      await expect(tab.locator("html")).toHaveAttribute("data-theme", "dark"); // the default
      serious.push(...(await scan(tab, `${p.route} dark`)));
      await tab.evaluate(() => {
        document.documentElement.dataset.theme = "light";
      });
      serious.push(...(await scan(tab, `${p.route} light`, ["color-contrast"])));
    }
  } finally {
    await anonymous.close();
    await removeCanary(sql, canary);
  }
  expect(serious).toEqual([]);
});
