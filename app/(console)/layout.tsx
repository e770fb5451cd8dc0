import type { ReactNode } from "react";
import { readTheme } from "@/components/theme/read-theme";
import { requirePageUser } from "@/lib/auth/page";
import { ConsoleNav } from "./console-nav";

// Never renders children for an anonymous caller. Not the boundary either: every page checks the
// session and role itself before it reads (guardedPage), as every action and route handler does.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("viewer");
  return (
    <div className="min-h-screen">
      <ConsoleNav username={user.username} role={user.role} theme={await readTheme()} />
      <main className="mx-auto max-w-[1600px] p-4">{children}</main>
    </div>
  );
}
