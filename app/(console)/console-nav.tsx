"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ThemeSwitch } from "@/components/theme/theme-switch";
import type { Theme } from "@/components/theme/theme";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { logoutAction } from "@/lib/actions/auth";
import { hasRole, type Role } from "@/lib/auth/roles";
import { displayName } from "@/lib/format";

const LINKS: { href: string; label: string; role?: Role }[] = [
  { href: "/", label: "Fleet" },
  { href: "/migrations", label: "Migrations" },
  { href: "/windows", label: "Maintenance" },
  { href: "/hosts", label: "Hosts" },
  { href: "/policies", label: "Policies" },
  { href: "/audit", label: "Audit log" },
  { href: "/users", label: "Users", role: "admin" }, // the page answers 404 to other roles
];

// On a phone (below md) the links and the account area fold behind a Menu button; from md up they
// are always shown in one row.
export function ConsoleNav({ username, role, theme }: { username: string; role: Role; theme: Theme }) {
  const pathname = usePathname();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Close the menu whenever the page changes (back, forward); a tap on a link closes it too, even
  // on the link of the page already shown, where the path does not change.
  useEffect(() => setOpen(false), [pathname]);
  return (
    <header className="border-b border-slate-800 bg-slate-900/80">
      <nav className="mx-auto flex max-w-[1600px] flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2" aria-label="Main">
        <span className="font-semibold tracking-tight text-sky-300">Convoy</span>
        <button
          type="button"
          className="ml-auto rounded border border-slate-700 px-3 py-1 text-sm md:hidden"
          aria-expanded={open}
          aria-controls="console-menu"
          onClick={() => setOpen((o) => !o)}
        >
          Menu
        </button>
        <div
          id="console-menu"
          className={`${open ? "flex" : "hidden"} w-full flex-col gap-3 md:flex md:w-auto md:flex-1 md:flex-row md:items-center`}
        >
          <ul className="flex flex-col gap-1 md:flex-row">
            {LINKS.filter((l) => !l.role || hasRole(role, l.role)).map((l) => {
              const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
              return (
                <li key={l.href}>
                  <Link
                    href={l.href}
                    onClick={() => setOpen(false)}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded px-2 py-1 text-sm ${active ? "bg-slate-800 text-white" : "text-slate-300 hover:text-white"}`}
                  >
                    {l.label}
                  </Link>
                </li>
              );
            })}
          </ul>
          <div className="flex flex-wrap items-center gap-3 text-sm md:ml-auto">
            <ThemeSwitch initial={theme} />
            <Link
              href="/account"
              onClick={() => setOpen(false)}
              data-testid="current-user"
              title="Your account: password, sessions"
              className="hover:underline"
            >
              {displayName(username)}
            </Link>
            <Badge tone={role === "admin" ? "amber" : role === "operator" ? "sky" : "slate"}>{role}</Badge>
            <Button
              variant="ghost"
              onClick={async () => {
                const res = await logoutAction({});
                // A user of the identity provider signs out there too (RP-initiated logout).
                if (res.ok && res.data.signOutUrl) return window.location.assign(res.data.signOutUrl);
                router.replace("/login");
                router.refresh();
              }}
            >
              Sign out
            </Button>
          </div>
        </div>
      </nav>
    </header>
  );
}
