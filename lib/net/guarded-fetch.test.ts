import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedRequest, guardedFetch } from "@/lib/net/guarded-fetch";
import { parseAllowList } from "@/lib/net/outbound-address";

let port = 0;
const server = http.createServer((req, res) => {
  if (req.url === "/redirect")
    return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
  if (req.url === "/huge") return res.end(Buffer.alloc(2 * 1024 * 1024, 120));
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, body })),
  );
});
beforeAll(() =>
  new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r())).then(
    () => (port = (server.address() as AddressInfo).port),
  ),
);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const loopback = parseAllowList("127.0.0.1,::1");

describe("guardedFetch (requests to the identity provider)", () => {
  it("refuses an internal address, by IP literal or by a name that resolves to one, unless allowed", async () => {
    await expect(guardedFetch([])(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(BlockedRequest);
    await expect(guardedFetch([])(`http://localhost:${port}/`)).rejects.toBeInstanceOf(BlockedRequest);
    await expect(guardedFetch([])("http://169.254.169.254/latest/meta-data/")).rejects.toBeInstanceOf(BlockedRequest);
    const res = await guardedFetch(loopback)(`http://localhost:${port}/`, {
      method: "POST",
      body: new URLSearchParams({ code: "c" }),
    });
    expect(await res.json()).toEqual({ method: "POST", body: "code=c" });
  });
  it("follows no redirect and caps the answer's size", async () => {
    const res = await guardedFetch(loopback)(`http://127.0.0.1:${port}/redirect`);
    expect(res.status).toBe(302);
    await expect(guardedFetch(loopback)(`http://127.0.0.1:${port}/huge`)).rejects.toThrow(/more than/);
  });
});
