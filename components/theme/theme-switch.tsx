"use client";

import { useState } from "react";
import { parseTheme, THEME_COOKIE, THEMES, type Theme } from "./theme";

const LABELS: Record<Theme, string> = { dark: "Dark", light: "Light", system: "System" };

/** Sets <html data-theme> at once and keeps the choice in a cookie the server renders from. */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  return (
    <label className="flex items-center gap-1 text-sm text-slate-400">
      Theme
      <select
        value={theme}
        onChange={(e) => {
          const next = parseTheme(e.target.value);
          setTheme(next);
          document.documentElement.dataset.theme = next;
          // biome-ignore lint/suspicious/noDocumentCookie: one fixed-value cookie; the Cookie Store API is not in every browser
          document.cookie = `${THEME_COOKIE}=${next}; Path=/; Max-Age=31536000; SameSite=Lax`;
        }}
        className="rounded border border-slate-700 bg-slate-900 px-1 py-0.5 text-slate-100"
        data-testid="theme-switch"
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {LABELS[t]}
          </option>
        ))}
      </select>
    </label>
  );
}
