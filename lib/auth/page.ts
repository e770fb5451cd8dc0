import "server-only";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";
import { getSession, type SessionUser } from "@/lib/auth/session";

export type SearchParams = Record<string, string | string[] | undefined>;
type PageProps<P, S> = { params: Promise<P>; searchParams: Promise<S> };

/**
 * The page guard: the session and role, checked before the page reads anything. The console
 * layout's own check does not protect a page — Next renders a layout and its page in parallel and
 * streams both, so a page that queried before the layout's redirect shipped its data in the 307's
 * body. Anonymous → /login; a role too low → 404 (the page's data is not for this user).
 */
export async function requirePageUser(role: Role): Promise<SessionUser> {
  const user = await getSession();
  if (!user) redirect("/login");
  if (!hasRole(user.role, role)) notFound();
  return user;
}

/**
 * Every page's default export: `export default guardedPage<{ id: string }>("viewer", async ({ user, params }) => …)`.
 * The render function runs only for a signed-in user with the role, and receives that user.
 * tests/hostile/page-guards.test.ts fails for a page built any other way, and reads the role here.
 */
export function guardedPage<
  P extends Record<string, string> = Record<string, never>,
  S extends SearchParams = SearchParams,
>(role: Role, render: (props: PageProps<P, S> & { user: SessionUser }) => Promise<ReactNode>) {
  return async function GuardedPage(props: PageProps<P, S>): Promise<ReactNode> {
    const user = await requirePageUser(role);
    return render({ ...props, user });
  };
}
