import Link from "next/link";
import { connection } from "next/server";

// Rendered per request, not prerendered: a prerendered page's scripts carry no CSP nonce and the
// browser would refuse them (proxy.ts sends a nonce-only script-src on every page).
export default async function NotFound() {
  await connection();
  return (
    <main className="mx-auto max-w-xl space-y-3 p-8">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-400">There is nothing here, or not for your role.</p>
      <Link href="/" className="text-sm text-sky-300 hover:underline">
        Back to the fleet
      </Link>
    </main>
  );
}
