// The console's colour theme. Dark is the default: wall screens run kiosk browsers whose OS is
// often left on light, and an unattended NOC screen must not turn white on its own. "system"
// follows prefers-color-scheme for whoever asks for it (docs/decisions/016).
export const THEMES = ["dark", "light", "system"] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = "convoy-theme";
export const DEFAULT_THEME: Theme = "dark";

export function parseTheme(value: string | undefined): Theme {
  return THEMES.find((t) => t === value) ?? DEFAULT_THEME;
}
