import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSession } from "@/lib/auth/session";
import { ConsoleNav } from "./console-nav";

// A UX gate only: every action and route handler checks the session and role itself.
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await getSession();
  if (!user) redirect("/login");
  return (
    <div className="min-h-screen">
      <ConsoleNav username={user.username} role={user.role} />
      <main className="mx-auto max-w-[1600px] p-4">{children}</main>
    </div>
  );
}
