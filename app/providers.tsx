"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { getQueryClient } from "@/lib/query-client";

// zod probes for eval (`new Function("")`) to compile fast parsers; the CSP forbids eval, and the
// probe alone reports a violation. Parse without it in the browser.
z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}
