// Every page checks the session and role itself, before it reads anything (issue 13, class 1).
// The pages are found from app/ (tests/hostile/surface.ts), so a new page is covered or this fails;
// each is rendered as anonymous and with each role below its own, and must throw the redirect to
// /login or a 404 before its render function runs. e2e/anonymous-pages.spec.ts checks the same
// end to end against the built server, with canary data in every table.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session";
import { type ConsolePage, consolePages, PUBLIC_PAGES } from "./surface";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));

// Any use of the database is recorded (and fails): a page must not read before its guard refused.
const touched: string[] = [];
vi.mock("@/lib/db/client", () => ({
  db: new Proxy(
    {},
    {
      get(_, key) {
        touched.push(String(key));
        throw new Error(`db.${String(key)} used`);
      },
    },
  ),
}));

const ROOT = path.resolve(import.meta.dirname, "../..");
const pages = consolePages();
const guarded = pages.filter((p): p is ConsolePage & { role: Role } => p.role !== null);
const below = (role: Role) => ROLES.slice(0, ROLES.indexOf(role));
const ID = "00000000-0000-4000-8000-000000000000";

/** What a page threw: Next's redirect and notFound() are errors carrying a digest. */
async function render(p: ConsolePage): Promise<string> {
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, p.file))) as {
    default: (props: unknown) => Promise<unknown>;
  };
  const props = { params: Promise.resolve({ id: ID }), searchParams: Promise.resolve({}) };
  try {
    await mod.default(props);
    return "rendered";
  } catch (e) {
    return String((e as { digest?: string }).digest ?? e);
  }
}

beforeEach(() => {
  touched.length = 0;
});

describe("every page is built by guardedPage with a role", () => {
  it("finds the pages under app/", () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
  });
  for (const p of pages) {
    it(`${p.route} (${p.file})`, () => {
      if (PUBLIC_PAGES.has(p.route)) return;
      expect(p.role, `${p.file}: export default guardedPage("<role>", async (…) => …)`).not.toBeNull();
      const source = readFileSync(path.join(ROOT, p.file), "utf8");
      expect(source, `${p.file}: generateMetadata reads before the guard`).not.toMatch(
        /export (async )?function generateMetadata/,
      );
    });
  }
  it("the console layout checks the session before it renders children", () => {
    expect(readFileSync(path.join(ROOT, "app/(console)/layout.tsx"), "utf8")).toMatch(
      /await requirePageUser\("viewer"\)/,
    );
  });
});

describe("a page refuses callers below its role before it reads", () => {
  for (const p of guarded) {
    it(`${p.route}: anonymous → redirect to /login`, async () => {
      caller = null;
      expect(await render(p)).toMatch(/^NEXT_REDIRECT;[a-z]+;\/login;/);
      expect(touched).toEqual([]);
    });
    for (const role of below(p.role)) {
      it(`${p.route}: ${role} → 404`, async () => {
        caller = { id: "u", username: `low-${role}`, role, sessionId: "s" };
        expect(await render(p)).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
        expect(touched).toEqual([]);
      });
    }
  }
});
