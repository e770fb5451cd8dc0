import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/auth/client-address";

const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientAddress", () => {
  it("without trusted proxies takes the address the web server wrote (the socket's)", () => {
    expect(clientAddress(h("192.0.2.7"), 0)).toBe("192.0.2.7");
    expect(clientAddress(h("::ffff:192.0.2.7"), 0)).toBe("192.0.2.7");
    expect(clientAddress(h(), 0)).toBe("unknown");
  });

  it("behind N proxies takes the N-th entry from the right, never what the client prepended", () => {
    // client 198.51.100.1 forged "1.2.3.4"; proxy 1 appended the client; proxy 2 appended proxy 1.
    expect(clientAddress(h("1.2.3.4, 198.51.100.1"), 1)).toBe("198.51.100.1");
    expect(clientAddress(h("1.2.3.4, 198.51.100.1, 10.0.0.2"), 2)).toBe("198.51.100.1");
    expect(clientAddress(h("198.51.100.1"), 3)).toBe("198.51.100.1");
  });
});
