import { describe, expect, it } from "vitest";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { API_KEY, CREDS, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer();

describe("routes", () => {
  it("answers an unknown route with 404 naming the method, the path and what is served", async () => {
    const answer = await og.request("GET", "/subscriptions/");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      detail:
        "Not found: no route for GET /subscriptions/. This server serves PATCH /products-batch/update/, POST /products-batch/create/, GET /products/{external_product_id}/, PATCH /products/{external_product_id}/, GET /products/, GET /products/{external_product_id}/{group_type}/{group_name}, GET /product_groups/.",
    });
  });

  it("points out a missing trailing slash", async () => {
    const answer = await og.patchBatch([], {});
    expect(answer.status).toBe(207);
    // A write is never redirected (a 301 would turn it into a GET): 404, explained in the hint.
    const slashless = await og.request("PATCH", "/products-batch/update", { body: [] });
    expect(slashless.status).toBe(404);
    expect(slashless.body).toEqual({ detail: "Not found." });
    expect(slashless.headers["x-og-mock-hint"]).toContain(
      "Ordergroove's paths end with a slash: send PATCH /products-batch/update/",
    );
  });

  it.each([
    ["GET", "/products-batch/update/", "PATCH"],
    ["POST", "/products-batch/update/", "PATCH"],
    ["PATCH", "/products-batch/create/", "POST"],
    ["DELETE", "/products/og-mug/", "GET, HEAD, PATCH"],
    ["POST", "/products/", "GET, HEAD"],
    ["PUT", "/product_groups/", "GET, HEAD"],
    ["PATCH", "/products/og-granola-500g/brand/acme", "GET, HEAD"],
  ])("answers %s %s with 405 and an Allow header", async (method, path, allow) => {
    const answer = await og.request(method, path);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    expect(answer.body).toEqual({ detail: `Method "${method}" not allowed on ${path}; allowed: ${allow}.` });
  });

  it.each([
    ["/products/og-granola-500g/", "hmac"],
    ["/products/?page_size=2", "hmac"],
    ["/products/og-granola-500g/brand/acme", "hmac"],
    ["/product_groups/", "api-key"],
  ] as const)("answers HEAD %s as GET without the body", async (path, auth) => {
    const headers = (): Record<string, string> =>
      auth === "api-key" ? { "x-api-key": API_KEY } : signedHeaders(CREDS, unixSeconds(og.clock.now()));
    const get = await fetch(`${og.running.url}${path}`, { headers: headers() });
    const head = await fetch(`${og.running.url}${path}`, { method: "HEAD", headers: headers() });
    expect(head.status).toBe(get.status);
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(await head.text()).toBe("");
    expect((await get.text()).length).toBeGreaterThan(0);
  });

  it("ignores a query string", async () => {
    expect((await og.request("GET", "/products/og-mug/?format=json")).status).toBe(404);
    expect((await og.request("GET", "/products/og-granola-500g/?format=json")).status).toBe(200);
  });
});

describe("GET and PATCH /products/{external_product_id}/", () => {
  it("reads one product as Ordergroove returns it", async () => {
    const answer = await og.request("GET", "/products/og-coffee-beans-1kg/");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      merchant: "og-mock-merchant",
      external_product_id: "og-coffee-beans-1kg",
      name: "Single-origin coffee beans, 1 kg",
      price: "24.99",
      live: true,
      product_type: "standard",
    });
  });

  it("decodes a percent-encoded id", async () => {
    await og.running.mock.catalog.upsert([{ external_product_id: "sku/with slash", name: "Odd id" }]);
    const answer = await og.request("GET", `/products/${encodeURIComponent("sku/with slash")}/`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ external_product_id: "sku/with slash" });
  });

  it("answers 404 for an unknown product", async () => {
    const answer = await og.request("GET", "/products/nope/");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ detail: 'Not found: no product with external_product_id "nope".' });
  });

  it("updates one product and answers it", async () => {
    const answer = await og.request("PATCH", "/products/og-coffee-beans-1kg/", {
      body: { live: false, price: 21 },
      auth: "api-key",
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ live: false, price: "21.00" });
  });

  it.each([
    [{ live: "no" }, { live: "must be boolean" }],
    [
      { live: false, price: "cheap" },
      { price: "must be a decimal number such as 15.00 (at most two decimals, 0 to 99999999.99)" },
    ],
    [[{ live: false }], { non_field_errors: "Invalid data. Expected a dictionary of product fields, but got list." }],
  ])("refuses an invalid single update %j with a field-keyed 400 and changes nothing", async (body, expected) => {
    const answer = await og.request("PATCH", "/products/og-coffee-beans-1kg/", { body, auth: "api-key" });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(expected);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it("answers 404 when updating an unknown product", async () => {
    expect((await og.request("PATCH", "/products/nope/", { body: { live: false }, auth: "api-key" })).status).toBe(404);
  });
});

describe("POST /products-batch/create/", () => {
  it("creates new products (200 each) and refuses existing or invalid ones (400 each)", async () => {
    const answer = await og.request("POST", "/products-batch/create/", {
      body: [
        { product_id: "og-tea-sampler", name: "Tea sampler", price: "9.50", live: true },
        { product_id: "og-coffee-beans-1kg", name: "Dup", price: "1.00" },
        { product_id: "og-no-price", name: "No price" },
        { name: "No id" },
      ],
    });
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      results: [
        { product_id: "og-tea-sampler", status: 200 },
        { product_id: "og-coffee-beans-1kg", status: 400, detail: "product_id: a product with this id exists already" },
        { product_id: "og-no-price", status: 200 },
        { product_id: null, status: 400, detail: "product_id: is required" },
      ],
    });
    const created = await og.request("GET", "/products/og-tea-sampler/");
    expect(created.body).toMatchObject({ name: "Tea sampler", price: "9.50", live: true });
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.name).toBe("Single-origin coffee beans, 1 kg");
  });

  it("lets a created product be updated in the next batch", async () => {
    await og.request("POST", "/products-batch/create/", {
      body: [{ product_id: "new-1", name: "New", price: "1.00" }],
    });
    const answer = await og.patchBatch([{ product_id: "new-1", live: false }]);
    expect(answer.body).toEqual({ results: [{ product_id: "new-1", status: 200 }] });
  });
});
