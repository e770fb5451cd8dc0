// Pure: where to send the browser after sign-in. Only a path on the console's own origin; anything
// a browser could resolve elsewhere (`//host`, `/\host`, `/<TAB>/host`, `https:`, `javascript:`) is `/`.
const BASE = "http://convoy.invalid";

// Browsers strip tabs/newlines and read `\` as `/` in URLs, so `/\host` and `/\t/host` are `//host`.
// Refuse those characters outright rather than guess how each browser normalizes them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function safeNextPath(next: string | string[] | undefined | null): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || UNSAFE.test(next)) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return "/";
  }
  // Percent-encoded backslashes or controls are decoded by some routers before navigating.
  if (decoded.startsWith("//") || UNSAFE.test(decoded)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
