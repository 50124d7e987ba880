import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type OrdergrooveMatchers, ordergrooveMatchers, setupOrdergrooveMock } from "../../mock-server/msw/index.js";

declare module "vitest" {
  // The same shape as vitest's own declaration, which is how custom matchers are typed.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends OrdergrooveMatchers<T> {}
}

import { signedHeaders } from "../../shared/auth/signature.js";
import { OrdergrooveClient } from "../../src/client/client.js";

expect.extend(ordergrooveMatchers);

const reported: string[] = [];
const og = setupOrdergrooveMock({
  products: [
    { product_id: "sku-1", name: "Coffee", price: "9.99" },
    { product_id: "sku-2", name: "Tea", price: "4.99" },
  ],
  throttle: false,
  report: (m) => reported.push(m),
});
beforeAll(() => og.listen());
afterEach(() => {
  og.reset();
  reported.length = 0;
});
afterAll(() => og.close());

const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

/** A tiny "inventory service" that calls Ordergroove with plain fetch, as users' code does. */
async function markOutOfStock(ids: string[], base = "https://restapi.ordergroove.com") {
  const res = await fetch(`${base}/products-batch/update/`, {
    method: "PATCH",
    headers: { "content-type": "application/json", ...signedHeaders(CREDS, Math.floor(Date.now() / 1000)) },
    body: JSON.stringify(ids.map((product_id) => ({ product_id, live: false }))),
  });
  return { status: res.status, body: await res.json() };
}

describe("setupOrdergrooveMock", () => {
  it("answers production with the same behaviour as the standalone fake", async () => {
    const answer = await markOutOfStock(["sku-1", "ghost"]);
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      results: [
        { product_id: "sku-1", status: 200 },
        { product_id: "ghost", status: 404, detail: 'no product with product_id "ghost" for this merchant' },
      ],
    });
    expect(og.product("sku-1")?.live).toBe(false);
    og.expectSetLive("sku-1", false);
    og.expectBatchRequests(1);
    og.expectAllSigned();
    expect(og).toHaveSetLive("sku-1", false);
    expect(og).not.toHaveSetLive("sku-2", false);
  });

  it("answers the staging host too", async () => {
    expect((await markOutOfStock(["sku-2"], "https://staging.restapi.ordergroove.com")).status).toBe(207);
    expect(og).toHaveReceivedBatches(1);
  });

  it("starts every test from the seed, with an empty journal", () => {
    expect(og.product("sku-1")?.live).toBe(true);
    expect(og.journal()).toEqual([]);
  });

  it("lets the reference client run against it", async () => {
    const client = new OrdergrooveClient({ environment: "production", credentials: { kind: "hmac", ...CREDS } });
    const report = await client.setLive(["sku-1", "sku-2"], false);
    expect(report.ok).toBe(true);
    og.expectProductLive("sku-2", false);
  });

  it("injects faults: the next request 503, then a dropped connection", async () => {
    og.mock.faults.failNext(503);
    expect((await markOutOfStock(["sku-1"])).status).toBe(503);
    og.mock.faults.dropNext();
    await expect(markOutOfStock(["sku-1"])).rejects.toThrow(TypeError);
    expect(og.product("sku-1")?.live).toBe(true);
  });

  it("makes an unsupported route an error naming method, URL and what is served", async () => {
    await expect(fetch("https://restapi.ordergroove.com/subscriptions/")).rejects.toThrow(TypeError);
    expect(reported[0]).toBe(
      "[ordergroove-stock-kit] Failed to handle GET https://restapi.ordergroove.com/subscriptions/: the fake Ordergroove does not serve this route. It serves PATCH /products-batch/update/, POST /products-batch/create/, GET /products/{external_product_id}/, PATCH /products/{external_product_id}/, GET /products/, GET /products/{external_product_id}/{group_type}/{group_name}, GET /product_groups/.",
    );
    expect(() => og.expectNoUnsupportedRequests()).toThrow(
      "Expected no requests to routes the fake does not serve, but got: GET https://restapi.ordergroove.com/subscriptions/.",
    );
  });

  it("fails assertions with messages that say what happened", async () => {
    await markOutOfStock(["ghost"]);
    expect(() => og.expectSetLive("ghost", false)).toThrow(
      'Expected product "ghost" to have been set live=false, but no batch update applied a live value to it. It was sent 1 time(s) and refused: 404 (no product with product_id "ghost" for this merchant).',
    );
    expect(() => og.expectBatchRequests(2)).toThrow(
      /^Expected 2 batch update request\(s\), but the fake received 1: #1 → 207\.$/,
    );
    await fetch("https://restapi.ordergroove.com/products-batch/update/", {
      method: "PATCH",
      body: "[]",
      headers: { "content-type": "application/json" },
    });
    expect(() => og.expectAllSigned()).toThrow(
      /^Expected every request to be signed with valid credentials, but 1 were refused: PATCH \/products-batch\/update\/: Authentication credentials were not provided/,
    );
    expect(og).not.toHaveOnlySignedRequests();
  });

  it("leaves other hosts to MSW's onUnhandledRequest (error by default)", async () => {
    // MSW prints its "[MSW] Error: intercepted a request without a matching request handler":
    // captured, so a passing run prints nothing, and checked, so the message is what users see.
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(fetch("http://127.0.0.1:9/elsewhere")).rejects.toThrow();
      expect(printed.mock.calls.flat().join(" ")).toContain("[MSW] Error: intercepted a request without a matching");
      expect(reported).toEqual([]); // not a request meant for Ordergroove: MSW's words are enough
    } finally {
      printed.mockRestore();
    }
  });

  it.each([
    ["https://restapi.ordergroove.test/products-batch/update/", "https://restapi.ordergroove.test"],
    ["http://localhost:8787/og/products/sku-1/", "http://localhost:8787/og"],
    ["https://api.ordergroove.com/v2/whatever", "https://api.ordergroove.com"],
  ])("says which hosts it answers, and baseUrls, when %s reaches no handler", async (url, base) => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(fetch(url, { method: url.includes("batch") ? "PATCH" : "GET" })).rejects.toThrow();
      expect(reported).toEqual([
        `[ordergroove-stock-kit] Failed to answer ${url.includes("batch") ? "PATCH" : "GET"} ${url}: the fake answers https://restapi.ordergroove.com, https://staging.restapi.ordergroove.com, not ${base}. ` +
          `To answer it too: setupOrdergrooveMock({ baseUrls: ["${base}"] }).`,
      ]);
      expect(printed.mock.calls.flat().join(" ")).toContain("[MSW] Error: intercepted a request without a matching");
    } finally {
      printed.mockRestore();
    }
  });
});

describe("paths without their trailing slash, through MSW", () => {
  it("a slashless GET is redirected (301, absolute Location) and fetch follows it to the listing", async () => {
    const base = "https://restapi.ordergroove.com";
    const manual = await fetch(`${base}/products?page_size=1`, { redirect: "manual" });
    expect([manual.status, manual.headers.get("location")]).toEqual([301, `${base}/products/?page_size=1`]);
    const followed = await fetch(`${base}/products?page_size=1&autoship_enabled=all`, {
      headers: { "x-api-key": "og-mock-api-key" },
    });
    expect([followed.status, followed.url]).toEqual([200, `${base}/products/?page_size=1&autoship_enabled=all`]);
    expect(await followed.json()).toMatchObject({
      count: 2,
      next: `${base}/products/?page_size=1&autoship_enabled=all&page=2`,
    });
  });
});
