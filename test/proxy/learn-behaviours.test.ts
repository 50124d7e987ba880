/**
 * Real traffic teaches the fake every behaviour it shows (issue 37, point 8): an upstream written
 * here, unlike the fake's defaults in each (ISO timestamps and number prices, 404 to a path without
 * its slash, a body without content-type taken as JSON, 422 to a body that is not a list, 413 to
 * 101 items, unknown item fields refused, ts as a string refused, its own refusal words, an
 * HTTP-date Retry-After), proxied with --forward-invalid and the merchant's credentials. og-mock
 * learns each, with its count, from that traffic only, never from a 5xx or from an og-mock's own
 * answer, keeps no secret, and a fake started from what it learnt answers as the upstream did.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../shared/auth/signature.js";
import { ManualClock } from "../../mock-server/core/clock.js";
import { validateProfile } from "../../mock-server/core/calibration/profile-file.js";
import { DEFAULT_CREDENTIALS } from "../../mock-server/core/options.js";
import { Learner } from "../../mock-server/core/proxy/learn.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";

/** The merchant's credentials og-mock holds (og-contract's settings), as the upstream knows them. */
const MERCHANT = {
  publicId: "merchant-1",
  apiUsers: [{ sigField: "service-user", hashKey: "merchant-user-hash-key" }],
  apiKeys: ["merchant-api-key"],
  merchantHashKey: "merchant-storefront-hash-key",
};
const KEY = { "x-api-key": "merchant-api-key" };
const JSON_KEY = { ...KEY, "content-type": "application/json" };
const ITEM = { product_id: "og-1", live: false };
const NOT_JSON_AUTHORIZATION = "a-secret-looking-authorization";
const PRODUCT = {
  external_product_id: "og-1",
  name: "Beans",
  price: 12.5,
  live: true,
  created: "2026-01-01T09:00:00Z",
  last_update: "2026-01-02T09:00:00Z",
};

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The upstream's own reading of a request: not the fake's, on every point the test learns. */
function answer(req: IncomingMessage, text: string): ReturnType<typeof json> {
  const { url = "", method = "" } = req;
  if (url === "/products/og-1/") return json(200, PRODUCT);
  if (url === "/products/missing/") return json(404, { detail: "Not found." });
  if (url.startsWith("/products?")) return json(404, { detail: "Not found." });
  if (url === "/products-batch/update") return json(405, { detail: `Method "${method}" not allowed.` });
  const authorization = req.headers.authorization;
  const key = req.headers["x-api-key"];
  if (authorization !== undefined) {
    let fields: { ts?: unknown };
    try {
      fields = JSON.parse(authorization) as { ts?: unknown };
    } catch {
      return json(401, { detail: `Could not read ${authorization} as JSON.` });
    }
    if (typeof fields.ts === "string") return json(401, { detail: "Invalid ts." });
    if (Number(fields.ts) < Date.now() / 1000 - 7200)
      // A careless service that names the key in its refusal: the profile must not keep it.
      return json(401, {
        detail: `Signature expired at ${String(fields.ts)} (key ${MERCHANT.apiUsers[0]!.hashKey}).`,
        code: "expired",
      });
  } else if (key === undefined) return json(401, { detail: "Authentication credentials were not provided." });
  if (key === "throttled") return json(429, { detail: "Slow down." }, { "retry-after": new Date().toUTCString() });
  if (key === "broken") return json(503, { detail: "Down." });
  if (key === "from-a-fake") return json(207, [{ results: [] }], { "x-og-mock-source": "fake" });
  const items: unknown = JSON.parse(text);
  if (!Array.isArray(items)) return json(422, { detail: "Expected a list." });
  if (items.length > 100) return json(413, { detail: "Too many items." });
  const results = (items as Array<Record<string, unknown>>).map((item) =>
    Object.keys(item).every((k) => k === "product_id" || k === "live")
      ? { product_id: item.product_id, status: 200 }
      : { product_id: item.product_id, status: 400, detail: "Unknown field." },
  );
  return json(200, { results });
}

const clock = new ManualClock(Date.parse("2026-12-07T10:00:00Z"));
let upstream: Server;
let proxy: RunningMockServer;
let learner: Learner;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { status, headers, body } = answer(req, Buffer.concat(chunks).toString());
      res.writeHead(status, headers).end(body);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const held = [...MERCHANT.apiKeys, MERCHANT.apiUsers[0]!.hashKey, MERCHANT.merchantHashKey];
  learner = new Learner(origin, "ordergroove-stock-kit@test", clock, held);
  proxy = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    proxy: { target: { origin, production: false }, learner, forwardInvalid: true, merchantCredentials: MERCHANT },
  });
});
afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function send(
  server: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Response> {
  // Bytes, not a string: fetch adds text/plain to a string body sent without content-type.
  const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
  return fetch(`${server}${path}`, { method, headers, redirect: "manual", ...(bytes ? { body: bytes } : {}) });
}
const batch = (server: string, headers: Record<string, string>, body: unknown = [ITEM]) =>
  send(server, "PATCH", "/products-batch/update/", headers, body);

/** A signature with `ts` written as a JSON string, otherwise right. */
function stringTs(user: { publicId: string; sigField: string; hashKey: string }): Record<string, string> {
  const headers = signedHeaders(user, Math.floor(Date.now() / 1000));
  const fields = JSON.parse(headers.authorization) as Record<string, unknown>;
  return {
    ...headers,
    "content-type": "application/json",
    authorization: JSON.stringify({ ...fields, ts: String(fields.ts) }),
  };
}
const merchantUser = { publicId: MERCHANT.publicId, ...MERCHANT.apiUsers[0]! };

describe("8. --learn, from every exchange that shows a behaviour", () => {
  it("keeps each behaviour the traffic showed, with its count, and nothing else", async () => {
    // One at a time: a later exchange that taught something wrong would show as the last value.
    const traffic: Array<[string, () => Promise<Response>]> = [
      ["a read", () => send(proxy.url, "GET", "/products/og-1/", KEY)],
      ["a read without the slash", () => send(proxy.url, "GET", "/products?page_size=1", KEY)],
      ["a write without the slash", () => send(proxy.url, "PATCH", "/products-batch/update", JSON_KEY, [])],
      ["no content-type", () => batch(proxy.url, KEY)],
      ["text/plain", () => batch(proxy.url, { ...KEY, "content-type": "text/plain" })],
      ["not a list", () => batch(proxy.url, JSON_KEY, ITEM)],
      [
        "101 items",
        () =>
          batch(
            proxy.url,
            JSON_KEY,
            Array.from({ length: 101 }, () => ITEM),
          ),
      ],
      ["an unknown field", () => batch(proxy.url, JSON_KEY, [{ ...ITEM, colour: "red" }])],
      ["ts as a string", () => batch(proxy.url, stringTs(merchantUser))],
      ["no credentials", () => batch(proxy.url, { "content-type": "application/json" })],
      [
        "authorization not JSON",
        () =>
          batch(proxy.url, {
            authorization: NOT_JSON_AUTHORIZATION,
            "og-authorization": "True",
            "content-type": "application/json",
          }),
      ],
      [
        "a stale signature",
        () =>
          batch(proxy.url, {
            ...signedHeaders(merchantUser, Math.floor(Date.now() / 1000) - 3 * 3600),
            "content-type": "application/json",
          }),
      ],
      [
        "an update of a product the upstream does not have, without content-type",
        () => send(proxy.url, "PATCH", "/products/missing/", KEY, { live: false }),
      ],
      ["a 429", () => batch(proxy.url, { ...JSON_KEY, "x-api-key": "throttled" })],
      ["a 503", () => batch(proxy.url, { ...JSON_KEY, "x-api-key": "broken" })],
      ["an og-mock's own answer", () => batch(proxy.url, { ...JSON_KEY, "x-api-key": "from-a-fake" })],
    ];
    for (const [what, sent] of traffic) {
      const res = await sent();
      await res.text();
      expect(res.headers.get("x-og-mock-source"), what).toBe("real");
    }
    const profile = validateProfile(JSON.parse(JSON.stringify(learner.profile())));
    expect(profile.observations).toEqual({
      "answer.priceType": "number",
      "answer.timestampFormat": "ISO 8601",
      "behaviour.missingTrailingSlash": "not-found",
      "behaviour.missingTrailingSlashWrite": 405,
      "answer.batchStatus": 200,
      "answer.batchForm": "object",
      "behaviour.missingContentType": "assume-json",
      "behaviour.unsupportedMediaType": "accepted",
      "behaviour.nonListBody": 422,
      "behaviour.tooManyItems": 413,
      "behaviour.unknownFields": "refuse",
      "behaviour.tsAsString": "refuse",
      "auth.failureStatus": 401,
      "auth.missing.status": 401,
      "auth.missing.body": "detail",
      "auth.missing.detail": "Authentication credentials were not provided.",
      "auth.notJson.status": 401,
      "auth.notJson.body": "detail",
      "auth.notJson.detail": "Could not read <secret> as JSON.",
      "auth.stale.status": 401,
      "auth.stale.body": "code,detail",
      "auth.stale.detail": "Signature expired at <n> (key <secret>).",
      "behaviour.retryAfter": "http-date",
    });
    const counts = Object.fromEntries(Object.entries(profile.seen ?? {}).map(([k, v]) => [k, v!.count]));
    // Three processed batches (no content-type, text/plain, the unknown field); the 503 and the
    // og-mock's 207 not among them. Three refusals of credentials that were sent.
    expect(counts).toMatchObject({ "answer.batchStatus": 3, "auth.failureStatus": 3, "behaviour.retryAfter": 1 });
    expect(JSON.stringify(profile)).not.toContain(NOT_JSON_AUTHORIZATION);
    expect(JSON.stringify(profile)).not.toContain(MERCHANT.apiKeys[0]);
    expect(JSON.stringify(profile)).not.toContain(MERCHANT.apiUsers[0]!.hashKey);
  });

  it("makes a fake that answers as the upstream did", async () => {
    const taught = await startMockServer({ port: 0, logger: pino({ level: "silent" }), profile: learner.profile() });
    const fake = { "x-api-key": DEFAULT_CREDENTIALS.apiKeys[0]! };
    try {
      expect((await send(taught.url, "GET", "/products?page_size=1", fake)).status).toBe(404);
      const untyped = await batch(taught.url, fake, [{ product_id: "og-coffee-beans-1kg", live: false }]);
      expect(untyped.status).toBe(200);
      expect((await batch(taught.url, { ...fake, "content-type": "application/json" }, ITEM)).status).toBe(422);
      const many = Array.from({ length: 101 }, () => ITEM);
      expect((await batch(taught.url, { ...fake, "content-type": "application/json" }, many)).status).toBe(413);
      const unknown = await batch(taught.url, { ...fake, "content-type": "application/json" }, [
        { product_id: "og-coffee-beans-1kg", live: false, colour: "red" },
      ]);
      expect(await unknown.json()).toMatchObject({ results: [{ status: 400 }] });
      const user = { publicId: DEFAULT_CREDENTIALS.publicId, ...DEFAULT_CREDENTIALS.apiUsers[0]! };
      expect((await batch(taught.url, stringTs(user), [])).status).toBe(401);
      const anonymous = await batch(taught.url, { "content-type": "application/json" }, []);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ detail: "Authentication credentials were not provided." });
    } finally {
      await taught.close();
    }
  });
});
