import type { Metadata } from "next";
import type { ReactNode } from "react";
import { readTheme } from "@/components/theme/read-theme";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = { title: "Convoy", description: "Live-migration console for KVM/libvirt fleets" };

// The theme comes from a cookie and is rendered on <html>, so the first paint already has it: no
// flash of the wrong theme and no inline script for the CSP to allow.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = await readTheme();
  return (
    <html lang="en" data-theme={theme}>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
