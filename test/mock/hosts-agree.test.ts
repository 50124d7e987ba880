/**
 * og-mock serves every request with its own node:http host; `createApp()` users get the Express
 * app. Both hand the request to the same dispatcher and the core's front. Every kind of request goes to both (same
 * settings, same clock), as raw bytes on a socket, and the answers must be the same bytes: status
 * line, headers in order, body. Only the `Date` header is left out. At the end both journals must
 * match too (but for the time each answer took).
 *
 * Both fakes hold two merchants behind the per-IP limit (mock-server/core/merchants/merchants.ts),
 * so the node host is shown to go through the same front: a request reaches the one merchant it
 * authenticates to, and the per-IP 429 reads the same on both paths.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { createApp } from "../../mock-server/express/app.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { API_KEY, CREDS } from "../helpers/mock-server.js";

const LIMIT = 4096;
/** A second merchant beside the default one (CREDS, API_KEY), with its own keys. */
const B = { publicId: "merchant-b", sigField: "b-sync", hashKey: "b-hash-key" };
const B_API_KEY = "b-api-key";
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
let lean: RunningMockServer;
let express: RunningMockServer;
const leanWarnings: string[] = [];
const expressWarnings: string[] = [];
const collect = (into: string[]) => ({ warn: (message: string) => void into.push(message) });

beforeAll(async () => {
  const options = {
    port: 0,
    maxBodyBytes: LIMIT,
    throttle: { limit: 1000, windowMs: 60_000 },
    merchants: [
      {},
      {
        credentials: {
          publicId: B.publicId,
          apiUsers: [{ sigField: B.sigField, hashKey: B.hashKey }],
          apiKeys: [B_API_KEY],
          merchantHashKey: "b-merchant-hash-key",
        },
      },
    ],
  };
  // The fake's warnings (an unknown field is ignored) are expected: kept per host, to compare.
  lean = await startMockServer({ ...options, clock: new ManualClock(START), logger: collect(leanWarnings) });
  express = await startMockServer({
    ...options,
    clock: new ManualClock(START),
    listener: (merchants, host) => createApp(merchants, host),
    logger: collect(expressWarnings),
  });
});
afterAll(async () => {
  await lean?.close();
  await express?.close();
});

/** Sends raw bytes on a fresh connection; the answer's bytes without its Date header ("" if dropped). */
function exchange(server: RunningMockServer, raw: string | string[], head = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(
        Buffer.concat(chunks)
          .toString("latin1")
          .replace(/\r\nDate: [^\r]*/i, ""),
      );
    };
    socket.on("data", (d: Buffer) => {
      chunks.push(d);
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (head || Buffer.byteLength(text.slice(end + 4), "latin1") >= length) done();
    });
    socket.on("close", done);
    socket.on("error", done);
    const parts = Array.isArray(raw) ? raw : [raw];
    parts.forEach((part, i) => setTimeout(() => socket.writable && socket.write(part), i * 20));
  });
}

function request(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; auth?: "hmac" | "api-key" | "none" } = {},
): string {
  const headers: Record<string, string> = { host: "og.test", connection: "close" };
  if (init.auth === "api-key") headers["x-api-key"] = API_KEY;
  else if (init.auth !== "none") Object.assign(headers, signedHeaders(CREDS, unixSeconds(START)));
  if (init.body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(init.body));
  }
  Object.assign(headers, init.headers);
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n${init.body ?? ""}`;
}

const batch = (items: unknown) => JSON.stringify(items);
const staleHeaders = signedHeaders(CREDS, unixSeconds(START) - 3 * 3600);

/** [what, raw request (or parts sent 20 ms apart), HEAD?] */
const KINDS: Array<[string, string | string[], boolean?]> = [
  [
    "signed 1-item batch",
    request("PATCH", "/products-batch/update/", { body: batch([{ product_id: "og-mug", live: false }]) }),
  ],
  [
    "API-key batch with 200, 404 and 400 items",
    request("PATCH", "/products-batch/update/", {
      auth: "api-key",
      body: batch([
        { product_id: "og-mug", live: true },
        { product_id: "ghost", live: false },
        { product_id: "og-mug", lve: false },
        { product_id: 7 },
        [],
        { product_id: "x".repeat(256), live: false },
        { product_id: "og-green-tea-100", live: false, name: "Green tea", price: "4.50" },
      ]),
    }),
  ],
  [
    "100 items",
    request("PATCH", "/products-batch/update/", {
      body: batch(Array.from({ length: 60 }, (_, i) => ({ product_id: `og-${i}`, live: false }))),
    }),
  ],
  ["101 items", request("PATCH", "/products-batch/update/", { body: batch(Array.from({ length: 101 }, () => ({}))) })],
  ["empty list", request("PATCH", "/products-batch/update/", { body: "[]" })],
  [
    "create batch",
    request("POST", "/products-batch/create/", {
      body: batch([
        { product_id: "new-1", name: "New", price: "1.00" },
        { product_id: "og-mug", name: "Mug", price: "1.00" },
      ]),
    }),
  ],
  ["GET product", request("GET", "/products/og-mug/")],
  ["GET product with a query", request("GET", "/products/og-mug/?fields=live")],
  ["GET unknown product", request("GET", "/products/nope/")],
  ["PATCH product", request("PATCH", "/products/og-mug/", { body: '{"live": true}' })],
  ["PATCH product, invalid", request("PATCH", "/products/og-mug/", { body: '{"live": "no"}' })],
  ["HEAD product", request("HEAD", "/products/og-mug/"), true],
  ["HEAD batch route", request("HEAD", "/products-batch/update/"), true],
  ["wrong method", request("GET", "/products-batch/update/")],
  ["missing trailing slash", request("PATCH", "/products-batch/update", { body: "[]" })],
  ["unknown path", request("GET", "/subscriptions/")],
  ["bad percent-encoding", request("GET", "/products/%E0%A4%A/")],
  ["no credentials", request("PATCH", "/products-batch/update/", { auth: "none", body: "[]" })],
  ["stale signature", request("PATCH", "/products-batch/update/", { auth: "none", headers: staleHeaders, body: "[]" })],
  [
    "wrong signature",
    request("PATCH", "/products-batch/update/", {
      auth: "none",
      headers: {
        ...staleHeaders,
        authorization: staleHeaders.authorization.replace(/"ts":\d+/, `"ts":${unixSeconds(START)}`),
      },
      body: "[]",
    }),
  ],
  [
    "og-authorization lower case",
    request("PATCH", "/products-batch/update/", { headers: { "og-authorization": "true" }, body: "[]" }),
  ],
  [
    "both schemes, API key wrong",
    request("PATCH", "/products-batch/update/", { headers: { "x-api-key": "nope" }, body: "[]" }),
  ],
  ["body not JSON", request("PATCH", "/products-batch/update/", { body: "[{nope" })],
  ["body an object", request("PATCH", "/products-batch/update/", { body: "{}" })],
  ["empty body", request("PATCH", "/products-batch/update/", { body: "" })],
  ["no content-type", request("PATCH", "/products-batch/update/", { headers: { "content-length": "2" } }) + "[]"],
  [
    "text/plain",
    request("PATCH", "/products-batch/update/", { headers: { "content-type": "text/plain" }, body: "[]" }),
  ],
  [
    "declared body over the limit",
    request("PATCH", "/products-batch/update/", { headers: { "content-length": String(LIMIT * 100) } }) + "[",
  ],
  [
    "chunked body growing over the limit",
    [
      request("PATCH", "/products-batch/update/", {
        headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      }),
      `${(LIMIT / 2).toString(16)}\r\n${"[".padEnd(LIMIT / 2, " ")}\r\n`,
      `${(LIMIT / 2).toString(16)}\r\n${"".padEnd(LIMIT / 2, " ")}\r\n`,
      `10\r\n${"".padEnd(16, " ")}\r\n`,
    ],
  ],
  // Merchants: each request reaches the one merchant it authenticates to.
  [
    "merchant B, signed batch",
    request("PATCH", "/products-batch/update/", {
      auth: "none",
      headers: signedHeaders(B, unixSeconds(START)),
      body: batch([{ product_id: "og-mug", live: false }]),
    }),
  ],
  ["merchant B, API key", request("GET", "/products/og-mug/", { auth: "none", headers: { "x-api-key": B_API_KEY } })],
  [
    "merchant A's key under B's public id",
    request("PATCH", "/products-batch/update/", {
      auth: "none",
      headers: signedHeaders({ ...CREDS, publicId: B.publicId }, unixSeconds(START)),
      body: "[]",
    }),
  ],
  [
    "A's public id with B's API key",
    request("GET", "/products/og-mug/", {
      auth: "none",
      headers: {
        ...signedHeaders(B, unixSeconds(START)),
        authorization: signedHeaders(CREDS, 1).authorization,
        "x-api-key": B_API_KEY,
      },
    }),
  ],
  [
    "a public id no merchant has",
    request("GET", "/products/og-mug/", {
      auth: "none",
      headers: signedHeaders({ ...CREDS, publicId: "nobody" }, unixSeconds(START)),
    }),
  ],
  [
    "authorization not JSON",
    request("GET", "/products/og-mug/", { auth: "none", headers: { authorization: "{public_id" } }),
  ],
  // The other product routes, list pages with their absolute links (built on the Host header).
  ["list page", request("GET", "/products/?page_size=2", { headers: { "x-og-api-version": "2" } })],
  ["list page, deprecated page numbers", request("GET", "/products/?page=2&page_size=3&live=true")],
  ["list page, bad filter", request("GET", "/products/?autoship_enabled=maybe")],
  [
    "list page over HTTP/1.0 without a Host header",
    request("GET", "/products/?page_size=1", { headers: { "x-og-api-version": "2" } })
      .replace("HTTP/1.1", "HTTP/1.0")
      .replace("host: og.test\r\n", ""),
  ],
  ["HEAD list page", request("HEAD", "/products/?page_size=1"), true],
  ["group check", request("GET", "/products/og-mug/eligibility/coffee-club")],
  ["product groups, API key", request("GET", "/product_groups/", { auth: "api-key" })],
  ["product groups, signature refused", request("GET", "/product_groups/")],
  // Malformed and odd paths.
  ["bad percent-encoding in a group check", request("GET", "/products/%zz/eligibility/x")],
  ["double slash", request("GET", "//products/og-mug/")],
  ["bad escape in the query", request("GET", "/products/og-mug/?a=%E0%A4%A")],
  ["path of dots", request("GET", "/products/../products-batch/update/")],
  ["absolute-form target", request("GET", "http://og.test/products/og-mug/")],
  ["asterisk target", request("OPTIONS", "*")],
  ["HEAD unknown path", request("HEAD", "/nope"), true],
  ["unknown method", request("PURGE", "/products/og-mug/")],
  // Admin passthrough: the same Express app answers admin calls on both.
  ["admin health", request("GET", "/__admin/health", { auth: "none" })],
  ["admin merchants", request("GET", "/__admin/merchants", { auth: "none" })],
  ["admin settings of merchant B", request("GET", "/__admin/settings?merchant=merchant-b", { auth: "none" })],
  [
    "admin, unknown merchant",
    request("GET", "/__admin/settings", { auth: "none", headers: { "x-og-merchant": "zz" } }),
  ],
  ["admin, bad escape", request("GET", "/__admin/merchants/%E0%A4%A", { auth: "none" })],
  ["dashboard", request("GET", "/__admin/ui/", { auth: "none" })],
  ["HEAD dashboard", request("HEAD", "/__admin/ui/", { auth: "none" }), true],
  ["malformed HTTP", "GET /products/og-mug/ HTTP/1.1\r\nbad header line\r\n\r\n"],
  ["headers over 16 KiB", request("GET", "/products/og-mug/", { headers: { "x-filler": "a".repeat(17 * 1024) } })],
];

async function both(raw: string | string[], head = false): Promise<[string, string]> {
  return [await exchange(lean, raw, head), await exchange(express, raw, head)];
}

async function admin(method: string, path: string, body: unknown): Promise<void> {
  for (const server of [lean, express]) {
    const res = await fetch(`${server.url}/__admin/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }
}

describe("og-mock's node:http host and the Express app answer byte for byte the same", () => {
  it.each(KINDS)("%s", async (_what, raw, head) => {
    const [a, b] = await both(raw, head ?? false);
    expect(a).not.toBe("");
    expect(a).toBe(b);
  });

  it("an exception in a handler: the same JSON 500 from both, and both keep serving", async () => {
    const signed = request("PATCH", "/products-batch/update/", {
      body: batch([{ product_id: "og-mug", live: false }]),
    });
    const restore = [lean, express].map((server) => {
      const handle = server.mock.handle;
      server.mock.handle = () => {
        throw new Error("boom");
      };
      return () => {
        server.mock.handle = handle;
      };
    });
    try {
      const [a, b] = await both(signed);
      expect(a).toMatch(/^HTTP\/1.1 500 /);
      expect(a).toContain('{"detail":"A server error occurred in the fake.');
      expect(a).toBe(b);
    } finally {
      for (const undo of restore) undo();
    }
    const [after, afterB] = await both(signed);
    expect(after).toMatch(/^HTTP\/1.1 207 /);
    expect(after).toBe(afterB);
  });

  it("with injected faults: status, latency, dropped connection", async () => {
    const signed = request("PATCH", "/products-batch/update/", {
      body: batch([{ product_id: "og-mug", live: false }]),
    });
    await admin("PUT", "faults", {
      next: [
        { status: 503, count: 1 },
        { status: 429, count: 1, retryAfterSeconds: 7 },
      ],
    });
    for (let i = 0; i < 2; i++) {
      const [a, b] = await both(signed);
      expect(a).toMatch(/^HTTP\/1.1 (503|429)/);
      expect(a).toBe(b);
    }
    await admin("PUT", "faults", { latencyMs: 30, items: [{ match: "og-*", status: 404 }] });
    // The fake clock: both hosts hold the answer back until the test lets 30 ms pass.
    const journaled = () => [lean.mock.journal.total, express.mock.journal.total];
    const before = journaled();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let slow: string[];
    try {
      let answered = 0;
      const pending = [exchange(lean, signed), exchange(express, signed)].map((p) => p.finally(() => answered++));
      await vi.advanceTimersByTimeAsync(0); // the requests are written
      // Until both requests reached the core (not vi.waitFor: it would move the fake clock).
      for (let i = 0; i < 10_000 && journaled().some((n, j) => n === before[j]); i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(journaled()).toEqual(before.map((n) => n + 1));
      await vi.advanceTimersByTimeAsync(29);
      expect(answered).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      slow = await Promise.all(pending);
    } finally {
      vi.useRealTimers();
    }
    expect(slow[0]).toMatch(/^HTTP\/1.1 207 /);
    expect(slow[0]).toBe(slow[1]);
    await admin("PUT", "faults", { dropNext: 1 });
    expect(await both(signed)).toEqual(["", ""]);
    await admin("PUT", "faults", {});
  });

  it("with other answer settings and the throttle", async () => {
    await admin("PATCH", "settings", { answer: { batchStatus: 200, batchForm: "list" }, throttle: { limit: 1 } });
    const signed = request("PATCH", "/products-batch/update/", { body: batch([{ product_id: "og-mug", live: true }]) });
    const [first, firstB] = await both(signed);
    expect(first).toMatch(/^HTTP\/1.1 200/);
    expect(first).toBe(firstB);
    const [throttled, throttledB] = await both(signed);
    expect(throttled).toMatch(/^HTTP\/1.1 429/);
    expect(throttled).toBe(throttledB);
  });

  it("the per-IP limit: the same 429 without Retry-After on both, for every route, until it is lifted", async () => {
    await admin("PATCH", "settings", { answer: { batchStatus: 200, batchForm: "list" }, throttle: false });
    await admin("PUT", "ip-limit", { limit: 2, windowMs: 60_000 });
    const signed = request("PATCH", "/products-batch/update/", { body: batch([{ product_id: "og-mug", live: true }]) });
    const read = request("GET", "/products/og-coffee-beans-1kg/", {
      auth: "none",
      headers: { "x-api-key": B_API_KEY },
    });
    const answers: string[] = [];
    for (const raw of [signed, read, signed, read, request("GET", "/nope/")]) {
      const [a, b] = await both(raw);
      expect(a).toBe(b);
      answers.push(a);
    }
    // (The batch answers 200: the answer form set above.)
    expect(answers.map((a) => a.slice(9, 12))).toEqual(["200", "200", "429", "429", "429"]);
    expect(answers[2]!.split("\r\n\r\n")[0]).not.toMatch(/retry-after/i);
    expect(answers[2]).toContain("from this IP address");
    await admin("PUT", "ip-limit", { limit: 6000, windowMs: 60_000 });
    const [after, afterB] = await both(signed);
    expect(after).toMatch(/^HTTP\/1.1 200 /);
    expect(after).toBe(afterB);
  });

  it("and both journals hold the same entries", async () => {
    // Everything but the time each answer took (`ms`), which no two runs share.
    const read = async (server: RunningMockServer, merchant: string) => {
      const res = await fetch(`${server.url}/__admin/journal?merchant=${merchant}`);
      const journal = (await res.json()) as { entries: object[] };
      return { ...journal, entries: journal.entries.map(({ ms: _ms, ...entry }: { ms?: number }) => entry) };
    };
    const [a, b] = [await read(lean, CREDS.publicId), await read(express, CREDS.publicId)];
    // Most kinds reach merchant A (not B's, the admin calls, or what Node's parser refuses).
    expect((a as { entries: unknown[] }).entries.length).toBeGreaterThan(KINDS.length * 0.75);
    expect(a).toEqual(b);
    const [aB, bB] = [await read(lean, B.publicId), await read(express, B.publicId)];
    // B's own requests, and the one sent with A's key under B's name, are in B's journal only.
    expect((aB as { entries: unknown[] }).entries.length).toBeGreaterThanOrEqual(4);
    expect(aB).toEqual(bB);
  });

  it("and both warned the same, once per unknown field", () => {
    expect(leanWarnings).toEqual([expect.stringContaining('ignored the unknown product field "lve"')]);
    expect(expressWarnings).toEqual(leanWarnings);
  });
});
