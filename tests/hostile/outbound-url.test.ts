// Outbound requests (webhooks) must not reach internal addresses (issue 13, class 3): refused when
// the URL is saved, in every spelling, and again at connect time after DNS resolution; failures
// show a fixed category (the old raw error named the port: a port scanner); URL credentials never
// reach a page or a log; Slack text escapes every interpolated name.
import type { LookupAddress, lookup as realLookup } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { alertPayload, webhookTarget } from "@/lib/alerts/rules";
import { redact } from "@/lib/log";
import { forbiddenAddress, forbiddenUrlTarget, parseAllowList } from "@/lib/net/outbound-address";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));

const { db } = await import("@/lib/db/client");
const { createWindowAction } = await import("@/lib/actions/windows");
const { getWindowView } = await import("@/lib/db/windows");
const { postJson, shownDeliveryError } = await import("@/lib/alerts/post");

/** Loopback, private, link-local, unique-local, unspecified, multicast, broadcast… in every spelling. */
const INTERNAL = [
  "http://127.0.0.1/",
  "http://127.0.0.1./",
  "http://2130706433/", // decimal
  "http://017700000001/", // octal
  "http://0177.0.0.1/",
  "http://0x7f000001/", // hex
  "http://0x7f.1/",
  "http://127.1/", // short
  "http://127.255.255.254:8080/",
  "http://[::1]/",
  "http://[0:0:0:0:0:0:0:1]/",
  "http://[::ffff:127.0.0.1]/", // IPv4-mapped
  "http://[::ffff:7f00:1]/",
  "http://[::127.0.0.1]/", // IPv4-compatible (deprecated)
  "http://[64:ff9b::7f00:1]/", // NAT64
  "http://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
  "http://localhost:3000/",
  "http://LOCALHOST./",
  "http://hooks.localhost/",
  "http://169.254.169.254/latest/meta-data/", // cloud metadata
  "http://2852039166/", // 169.254.169.254 in decimal
  "http://[::ffff:169.254.169.254]/",
  "http://[fe80::1]/",
  "http://10.0.0.1/",
  "http://0xa.1/",
  "http://172.16.5.4/",
  "http://192.168.1.1/",
  "http://3232235777/", // 192.168.1.1
  "http://100.64.0.1/", // carrier-grade NAT
  "http://[fc00::1]/",
  "http://[fd12:3456::1]/",
  "http://0.0.0.0/",
  "http://0/",
  "http://[::]/",
  "http://224.0.0.1/",
  "http://[ff02::1]/",
  "http://255.255.255.255/",
  "https://user:secret@10.1.2.3/hook",
];
const PUBLIC = [
  "https://hooks.slack.com/services/T0/B0/x",
  "http://93.184.215.14/hook",
  "http://[2606:4700:4700::1111]/",
  "https://alerts.example.com:8443/convoy",
];

describe("saving a webhook URL", () => {
  it("refuses every internal address in every spelling, accepts public ones", () => {
    for (const url of INTERNAL) expect(forbiddenUrlTarget(url, []), url).not.toBeNull();
    for (const url of PUBLIC) expect(forbiddenUrlTarget(url, []), url).toBeNull();
  });

  it("lets the admin's allow-list through, and nothing else", () => {
    const allow = parseAllowList("127.0.0.1, 10.0.0.0/8 fd00::/8");
    for (const url of [
      "http://127.0.0.1:9/",
      "http://0x7f.1/",
      "http://2130706433/",
      "http://[::ffff:127.0.0.1]/",
      "http://localhost/",
      "http://10.200.1.1/",
      "http://[fd00::5]/",
    ]) {
      expect(forbiddenUrlTarget(url, allow), url).toBeNull();
    }
    for (const url of [
      "http://127.0.0.2/",
      "http://192.168.1.1/",
      "http://169.254.169.254/",
      "http://[::1]/",
      "http://[fc00::1]/",
    ])
      expect(forbiddenUrlTarget(url, allow), url).not.toBeNull();
    expect(() => parseAllowList("10.0.0.0/33")).toThrow();
  });

  it("through the schema and the real createWindowAction: INVALID on the URL field, nothing stored", async () => {
    vi.stubEnv("CONVOY_WEBHOOK_ALLOW", "");
    expect(webhookTarget.safeParse({ url: "http://0x7f.1/" }).success).toBe(false);
    const admin = await db.user.create({
      data: { username: `outbound-${process.pid}`, role: "admin", passwordHash: "x" },
    });
    caller = { id: admin.id, username: admin.username, role: "admin", sessionId: "s" };
    const before = await db.maintenanceWindow.count();
    for (const url of ["http://2130706433:6379/", "http://[::ffff:169.254.169.254]/", "http://localhost:5432/"]) {
      const r = await createWindowAction({
        name: "outbound check",
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 3_600_000),
        hostIds: ["11111111-1111-4111-8111-111111111111"],
        alertWebhooks: [{ url }],
      });
      expect(r, url).toMatchObject({
        ok: false,
        code: "INVALID",
        fieldErrors: { "alertWebhooks.0.url": [expect.stringMatching(/internal addresses/)] },
      });
    }
    expect(await db.maintenanceWindow.count()).toBe(before);
    vi.unstubAllEnvs();
  });
});

describe("connecting (after DNS)", () => {
  let receiver: Server;
  let silent: Server;
  let port = 0;
  let silentPort = 0;
  let hits = 0;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(req.url === "/500" ? 500 : 204).end();
    });
    silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    port = (receiver.address() as AddressInfo).port;
    silentPort = (silent.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    silent.closeAllConnections();
    receiver.close();
    silent.close();
    await db.$disconnect();
  });

  /** A DNS that answers `ips` for every name: a rebinding resolver, under the test's control. */
  const resolvesTo = (...ips: string[]) =>
    ((_host: string, _o: unknown, cb: (e: null, a: LookupAddress[]) => void) =>
      cb(
        null,
        ips.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
      )) as unknown as typeof realLookup;

  it("refuses a public-looking name that resolves to loopback (rebinding), and a literal, before sending anything", async () => {
    hits = 0;
    const opts = { timeoutMs: 2_000, allow: [] };
    expect(
      await postJson(`http://hooks.example.com:${port}/`, "{}", { ...opts, lookup: resolvesTo("127.0.0.1") }),
    ).toBe("blocked address");
    expect(
      await postJson(`http://hooks.example.com:${port}/`, "{}", {
        ...opts,
        lookup: resolvesTo("93.184.215.14", "127.0.0.1"),
      }),
    ).toBe("blocked address");
    expect(await postJson(`http://localhost:${port}/`, "{}", opts)).toBe("blocked address"); // the real resolver
    expect(await postJson(`http://0x7f.1:${port}/`, "{}", opts)).toBe("blocked address");
    expect(await postJson(`http://[::ffff:127.0.0.1]:${port}/`, "{}", opts)).toBe("blocked address");
    expect(hits).toBe(0);
  });

  it("connects to the address it checked when the allow-list names it", async () => {
    hits = 0;
    const allow = parseAllowList("127.0.0.1");
    expect(
      await postJson(`http://hooks.example.com:${port}/`, "{}", {
        timeoutMs: 2_000,
        allow,
        lookup: resolvesTo("127.0.0.1"),
      }),
    ).toBeNull();
    expect(await postJson(`http://127.0.0.1:${port}/`, "{}", { timeoutMs: 2_000, allow })).toBeNull();
    expect(hits).toBe(2);
  });

  it("reports a fixed category whatever the port or error text", async () => {
    const allow = parseAllowList("127.0.0.1");
    const closed = [1, 9, 65_000].map((p) => postJson(`http://127.0.0.1:${p}/`, "{}", { timeoutMs: 2_000, allow }));
    expect(await Promise.all(closed)).toEqual(["refused", "refused", "refused"]);
    expect(await postJson(`http://127.0.0.1:${silentPort}/`, "{}", { timeoutMs: 300, allow })).toBe("timeout");
    expect(await postJson(`http://127.0.0.1:${port}/500`, "{}", { timeoutMs: 2_000, allow })).toBe("HTTP 500");
    expect(await postJson(`https://127.0.0.1:${port}/`, "{}", { timeoutMs: 2_000, allow })).toBe("tls"); // plain HTTP answering TLS
    const nx = ((_h: string, _o: unknown, cb: (e: Error) => void) =>
      cb(Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }))) as unknown as typeof realLookup;
    expect(await postJson("http://no-such-host.example.com/", "{}", { timeoutMs: 2_000, allow, lookup: nx })).toBe(
      "dns",
    );
  });

  it("shows viewers a category and the origin only: no raw error, no credentials", async () => {
    expect(shownDeliveryError("ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6379")).toBe("connection failed");
    expect(shownDeliveryError("HTTP 503")).toBe("HTTP 503");
    const w = await db.maintenanceWindow.create({
      data: {
        name: "creds",
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 60_000),
        alertWebhooks: [
          { url: "https://bob:hunter2@hooks.example.com/T0/SECRET", format: "generic", events: ["failed"] },
        ],
      },
    });
    await db.alertDelivery.create({
      data: {
        key: `creds-${w.id}`,
        kind: "overdue",
        windowId: w.id,
        url: "https://bob:hunter2@hooks.example.com/T0/SECRET",
        format: "generic",
        payload: {},
        attempts: 2,
        lastError: "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:6379",
      },
    });
    const view = JSON.stringify(await getWindowView(w.id));
    expect(view).not.toMatch(/hunter2|bob|SECRET|6379|ECONNREFUSED/);
    expect(view).toContain("https://hooks.example.com");
  });

  it("logs redact URL credentials", () => {
    const out = JSON.stringify(
      redact({ msg: "POST https://bob:hunter2@hooks.example.com/x failed", url: "http://u:p@10.0.0.1:8080/" }),
    );
    expect(out).not.toMatch(/hunter2|bob:|u:p@/);
    expect(out).toContain("https://[redacted]@hooks.example.com/x");
  });
});

describe("Slack text", () => {
  it("escapes every interpolated value so names neither ping nor link", () => {
    const vm = "<!channel>";
    const host = "<http://evil.example|click>";
    const p = alertPayload("slack", {
      kind: "failed",
      at: "2026-01-01T00:00:00Z",
      url: "https://convoy.example/migrations/1",
      summary: `${vm} (${host} → hv2) failed: <@U123> & more`,
      migration: { id: "1", vm, source: host, destination: "hv2", state: "failed", verdict: null, reason: "<!here>" },
    });
    const texts = [p.text as string, ...JSON.stringify(p.blocks).match(/"text":"[^"]*"/g)!];
    for (const t of texts) {
      expect(t).not.toMatch(/<!|<@|<http:\/\/evil/);
      expect(t.replace("<https://convoy.example/migrations/1|open>", "")).not.toContain("<");
    }
    expect(p.text).toContain(
      "&lt;!channel&gt; (&lt;http://evil.example|click&gt; → hv2) failed: &lt;@U123&gt; &amp; more",
    );
  });
});

describe("forbiddenAddress", () => {
  it("judges resolved addresses like literals", () => {
    for (const ip of [
      "127.0.0.1",
      "::1",
      "::ffff:10.0.0.1",
      "169.254.169.254",
      "fd00::1",
      "0.0.0.0",
      "::",
      "fe80::1%eth0",
    ])
      expect(forbiddenAddress(ip, []), ip).not.toBeNull();
    expect(forbiddenAddress("1.1.1.1", [])).toBeNull();
  });
});
