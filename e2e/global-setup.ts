import { existsSync } from "node:fs";

// Fail early with one actionable line instead of a browser-launch stack trace.
export default function globalSetup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(
      `No Chromium at ${chromium}: install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  }
}
