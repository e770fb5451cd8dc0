// Pure: the security headers every response carries. proxy.ts sets them per request (the page CSP
// holds a fresh nonce each time); next.config.ts sets the fixed ones on what the proxy skips
// (built JS/CSS under /_next/static).

/** Sent on every response. frame-ancestors 'none' in the CSP says the same to newer browsers. */
export const FIXED_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];

/**
 * The pages' CSP. Scripts run only with this request's nonce (Next adds it to its own scripts when
 * the request carries this header); 'strict-dynamic' lets those load their chunks. No
 * 'unsafe-eval' outside `next dev`, whose React uses eval for error stacks. Styles allow inline:
 * Recharts and React's style props write style attributes, which cannot carry a nonce.
 */
export function pageCsp(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** APIs, CSV/PDF downloads and /metrics render nothing: nothing may load or frame them. */
export const NON_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A fresh CSP nonce (128 random bits, base64). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
