// Issue 13, class 4: `/login?next=…` must never send the browser to another origin after sign-in.
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/safe-next";

// What Next's searchParams hands the page (already percent-decoded once) for hostile links.
const OFF_SITE = [
  "//evil.example/x",
  "/\\evil.example/x",
  "\\\\evil.example",
  "/\t/evil.example/x",
  "/\n/evil.example/x",
  "/\r/evil.example",
  "/%5Cevil.example/x",
  "/%5cevil.example/x",
  "/%09/evil.example/x",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  " /\\evil.example",
  "evil.example/x",
  "/\u0000/evil.example",
  "/\u2028/evil.example",
  "/%E2%80%A8/evil.example",
  "%2F%2Fevil.example",
  "/%",
  "",
];

describe("safeNextPath", () => {
  for (const next of OFF_SITE) {
    it(`refuses ${JSON.stringify(next)}`, () => {
      const got = safeNextPath(next);
      expect(got).toBe("/");
      expect(new URL(got, "https://console.example").origin).toBe("https://console.example");
    });
  }

  it("keeps same-origin paths with their query and hash", () => {
    expect(safeNextPath("/migrations?vm=db-1&state=running#top")).toBe("/migrations?vm=db-1&state=running#top");
    expect(safeNextPath("/windows/abc/report")).toBe("/windows/abc/report");
    expect(safeNextPath("/")).toBe("/");
  });

  it("refuses arrays and missing values", () => {
    expect(safeNextPath(["/a", "/b"])).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});
