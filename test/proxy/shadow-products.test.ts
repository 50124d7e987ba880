/**
 * The fake in the shadow of every real exchange (issue 37, point 7), beyond batches: a product's
 * read, its write, the group check and the listings are replayed against the fake after its
 * catalog learnt what the real answer shows, and compared (status, answer form, and the fields
 * both should agree on; listings by status and form only). The real answer passes unchanged, and
 * the fake's catalog is left as the service showed it, whatever the fake answered.
 *
 * Two upstreams over real HTTP: a small server that answers differently from the fake, and a
 * second og-mock that agrees with it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BEHAVIOURS } from "../../mock-server/core/calibration/behaviours.js";
import { ManualClock } from "../../mock-server/core/clock.js";
import { Learner } from "../../mock-server/core/proxy/learn.js";
import type { FoundViolations } from "../../mock-server/core/proxy/proxy.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { startProxy } from "./upstreams.js";

const KEY = { "x-api-key": "og-mock-api-key", "content-type": "application/json" };
const COFFEE = "og-coffee-beans-1kg";

/** A product as an upstream that differs from the fake answers it: a number for its price, ISO 8601 times, few fields. */
const UPSTREAM_PRODUCT = {
  external_product_id: "only-upstream-sku",
  merchant: "the-service-merchant",
  name: "Only upstream",
  price: 12.5,
  live: true,
  created: "2026-01-02T03:04:05Z",
  last_update: "2026-01-02T03:04:05Z",
};
const UPSTREAM_PRODUCT_TEXT = JSON.stringify(UPSTREAM_PRODUCT);

/** Answers as a service that differs from the fake; unknown paths 404. */
function differingUpstream(req: { method?: string | undefined; url?: string | undefined }): [number, unknown] {
  const { method, url } = req;
  if (method === "GET" && url === "/products/only-upstream-sku/") return [200, UPSTREAM_PRODUCT];
  // Times as a service may write them: one to the minute, one null.
  if (method === "GET" && url === "/products/odd-times-sku/") {
    return [
      200,
      { ...UPSTREAM_PRODUCT, external_product_id: "odd-times-sku", created: null, last_update: "2026-01-02T03:04Z" },
    ];
  }
  // A product the fake holds and the service does not.
  if (method === "GET" && url === `/products/${COFFEE}/`) return [404, { detail: "Not found." }];
  // The service refuses a write the fake would make.
  if (method === "PATCH" && url === "/products/refused-sku/") return [400, { live: ["Not allowed."] }];
  // The service answers a write it made, but keeps the product live: what the fake must then hold.
  if (method === "PATCH" && url === "/products/stubborn-sku/") {
    return [200, { external_product_id: "stubborn-sku", name: "Stubborn", price: "3.00", live: true }];
  }
  // A write answered with a long value the fake does not answer.
  if (method === "PATCH" && url === "/products/long-sku/") {
    return [200, { external_product_id: "long-sku", name: "y".repeat(5000), price: "4.00", live: true }];
  }
  if (method === "GET" && url === "/products/stubborn-sku/eligibility/club") return [200, { product_has_group: true }];
  if (method === "GET" && url?.startsWith("/products/?")) return [200, { next: null, previous: null, results: [] }];
  return [404, { detail: "Not found." }];
}

let differing: Server;
let differingUrl: string;
let proxy: RunningMockServer;
let agreeing: RunningMockServer;
let agreeingProxy: RunningMockServer;
const found: FoundViolations[] = [];

beforeAll(async () => {
  differing = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const [status, body] = differingUpstream(req);
      const text = body === UPSTREAM_PRODUCT ? UPSTREAM_PRODUCT_TEXT : JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => differing.listen(0, "127.0.0.1", resolve));
  differingUrl = `http://127.0.0.1:${(differing.address() as AddressInfo).port}`;
  proxy = await startMockServer({
    port: 0,
    logger: pino({ level: "silent" }),
    products: [
      { external_product_id: COFFEE, name: "Coffee", price: "24.99", live: true },
      { external_product_id: "refused-sku", name: "Refused", price: "2.00", live: true },
      { external_product_id: "stubborn-sku", name: "Stubborn", price: "3.00", live: true },
      { external_product_id: "long-sku", name: "Long", price: "4.00", live: true },
    ],
    proxy: { target: { origin: differingUrl, production: false }, shadow: true, onViolations: (f) => found.push(f) },
  });
  agreeing = await startMockServer({ port: 0, logger: pino({ level: "silent" }) });
  agreeingProxy = await startProxy(agreeing.url, { shadow: true });
});
afterAll(async () => {
  await Promise.all([proxy.close(), agreeing.close(), agreeingProxy.close()]);
  await new Promise<void>((resolve) => differing.close(() => resolve()));
});

async function send(server: RunningMockServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: KEY,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const entry = server.mock.journal
    .entries()
    .filter((e) => e.source === "real")
    .at(-1)!;
  return { status: res.status, text, source: res.headers.get("x-og-mock-source"), entry };
}

describe("7. --shadow beyond batches: an upstream that answers differently", () => {
  it("a read: passes the real answer, the fake learns the product, and each field answered otherwise is listed with its setting", async () => {
    const read = await send(proxy, "GET", "/products/only-upstream-sku/");
    expect(read).toMatchObject({ status: 200, source: "real", text: UPSTREAM_PRODUCT_TEXT });
    // The catalog learnt the product from the real answer (its price in the fake's own form).
    expect(proxy.mock.catalog.get("only-upstream-sku")).toMatchObject({ name: "Only upstream", price: "12.50" });
    const differences = read.entry.differences!;
    expect(differences).toContainEqual({
      pointer: "/price",
      message: "price is a number from the service and a string from the fake",
      real: 12.5,
      fake: "12.50",
      setting: "answer.priceType",
    });
    expect(differences).toContainEqual({
      pointer: "/created",
      message: "created is written ISO 8601 by the service and YYYY-MM-DD HH:MM:SS by the fake",
      real: "ISO 8601",
      fake: "YYYY-MM-DD HH:MM:SS",
      setting: "answer.timestampFormat",
    });
    // A field the fake answers and this service leaves out.
    expect(differences).toContainEqual(
      expect.objectContaining({
        pointer: "/sku",
        message: 'the fake answers the field "sku" and the service does not',
      }),
    );
    // Not compared: what the service makes for itself, and what both answered alike.
    const pointers = differences.map((d) => d.pointer);
    expect(pointers).not.toContain("/merchant");
    expect(pointers).not.toContain("/name");
    expect(pointers).not.toContain("");
    // Told to the report as well.
    expect(found.at(-1)).toMatchObject({ path: "/products/only-upstream-sku/", differences });
  });

  it("timestamps: read as --learn reads them, and a null one listed apart, never as a format the profile cannot hold", async () => {
    // Its own og-mock, learning too: the shadow's word for the answer is the one --learn records.
    const learner = new Learner(
      differingUrl,
      "ordergroove-stock-kit@test",
      new ManualClock(Date.parse("2026-12-07T10:00:00Z")),
    );
    const learning = await startProxy(differingUrl, { shadow: true, learner });
    try {
      const read = await send(learning, "GET", "/products/odd-times-sku/");
      expect(read).toMatchObject({ status: 200, source: "real" });
      const differences = read.entry.differences!;
      // A time to the minute is ISO 8601, for the shadow as for --learn (and og-contract).
      expect(learner.profile().observations["answer.timestampFormat"]).toBe("ISO 8601");
      expect(differences).toContainEqual({
        pointer: "/last_update",
        message: "last_update is written ISO 8601 by the service and YYYY-MM-DD HH:MM:SS by the fake",
        real: "ISO 8601",
        fake: "YYYY-MM-DD HH:MM:SS",
        setting: "answer.timestampFormat",
      });
      // A null time: listed, with the null as it was, and no setting (none makes the fake answer null).
      expect(differences).toContainEqual({
        pointer: "/created",
        message: "created is null from the service and written YYYY-MM-DD HH:MM:SS by the fake",
        real: null,
        fake: "YYYY-MM-DD HH:MM:SS",
      });
      // Whatever is labelled answer.timestampFormat holds values the calibration profile can hold.
      const formats = (BEHAVIOURS["answer.timestampFormat"]!.schema as { enum: unknown[] }).enum;
      for (const d of differences.filter((x) => x.setting === "answer.timestampFormat")) {
        expect(formats).toContain(d.real);
        expect(formats).toContain(d.fake);
      }
    } finally {
      await learning.close();
    }
  });

  it("a read the service answers 404: the fake forgets the product, and agrees", async () => {
    const read = await send(proxy, "GET", `/products/${COFFEE}/`);
    expect(read).toMatchObject({ status: 404, source: "real" });
    expect(proxy.mock.catalog.has(COFFEE)).toBe(false);
    expect(read.entry.differences).toBeUndefined();
  });

  it("a write the service refuses and the fake would make: listed, and the fake's catalog keeps the product as it was", async () => {
    const write = await send(proxy, "PATCH", "/products/refused-sku/", { live: false });
    expect(write).toMatchObject({ status: 400, source: "real", text: JSON.stringify({ live: ["Not allowed."] }) });
    expect(write.entry.differences).toEqual([
      { pointer: "", message: "the request was answered 400 by the service and 200 by the fake", real: 400, fake: 200 },
    ]);
    expect(proxy.mock.catalog.get("refused-sku")?.live).toBe(true);
  });

  it("a write the service answers otherwise: the field is listed, and the fake holds what the service answered", async () => {
    const write = await send(proxy, "PATCH", "/products/stubborn-sku/", { live: false });
    expect(write).toMatchObject({ status: 200, source: "real" });
    expect(write.entry.differences).toContainEqual({
      pointer: "/live",
      message: "live is true from the service and false from the fake",
      real: true,
      fake: false,
    });
    expect(proxy.mock.catalog.get("stubborn-sku")?.live).toBe(true);
  });

  it("a value of any length: listed cut short, so a difference never holds a field whole twice over", async () => {
    const write = await send(proxy, "PATCH", "/products/long-sku/", { name: "short" });
    expect(write.text).toContain("y".repeat(5000));
    const name = write.entry.differences!.find((d) => d.pointer === "/name")!;
    expect(name.message).toBe(
      `name is "${"y".repeat(79)}… (5002 characters) from the service and "short" from the fake`,
    );
    expect(name.real).toBe(`"${"y".repeat(1023)}… (5002 characters)`);
    expect(name.fake).toBe("short");
  });

  it("a group check: the fake learns the membership the service shows, and agrees", async () => {
    const check = await send(proxy, "GET", "/products/stubborn-sku/eligibility/club");
    expect(check).toMatchObject({ status: 200, source: "real" });
    expect(check.entry.differences).toBeUndefined();
    expect(proxy.mock.catalog.get("stubborn-sku")?.groups).toEqual([{ name: "club", group_type: "eligibility" }]);
  });

  it("a listing: status and form only (its keys name its pagination), never its contents; a later page is not replayed", async () => {
    const first = await send(proxy, "GET", "/products/?page_size=2");
    expect(first).toMatchObject({ status: 200, source: "real" });
    expect(first.entry.differences).toEqual([
      {
        pointer: "",
        message:
          "the listing's keys are next, previous, results from the service and count, next, previous, results from the fake",
        real: "next, previous, results",
        fake: "count, next, previous, results",
      },
    ]);
    const later = await send(proxy, "GET", "/products/?cursor=c2VydmljZQ&page_size=2");
    expect(later.entry.differences).toBeUndefined();
  });
});

describe("7. --shadow beyond batches: an upstream that agrees", () => {
  it("lists no difference for a read, a write, a group check or a listing", async () => {
    for (const [method, path, body] of [
      ["GET", `/products/${COFFEE}/`, undefined],
      ["PATCH", `/products/${COFFEE}/`, { live: false, price: 20 }],
      ["GET", `/products/${COFFEE}/eligibility/coffee-club`, undefined],
      ["GET", "/products/missing-everywhere/", undefined],
      ["GET", "/products/?page_size=3", undefined],
      ["GET", "/product_groups/", undefined],
    ] as const) {
      const answer = await send(agreeingProxy, method, path, body);
      expect(answer.source).toBe("real");
      expect(answer.entry.differences, `${method} ${path}`).toBeUndefined();
    }
    expect(agreeingProxy.mock.catalog.get(COFFEE)).toMatchObject({ live: false, price: "20.00" });
  });
});
