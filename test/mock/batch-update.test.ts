import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer();

describe("PATCH /products-batch/update/", () => {
  it("applies existing products, answers 404 for unknown ones and 400 for invalid ones, in request order", async () => {
    const answer = await og.patchBatch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "no-such-product", live: false },
      { product_id: "og-green-tea-100", live: "no" },
      { product_id: "og-dog-food-12kg", live: false, price: "59.90" },
    ]);
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      results: [
        { product_id: "og-coffee-beans-1kg", status: 200 },
        {
          product_id: "no-such-product",
          status: 404,
          detail: 'no product with product_id "no-such-product" for this merchant',
        },
        { product_id: "og-green-tea-100", status: 400, detail: "live: must be boolean" },
        { product_id: "og-dog-food-12kg", status: 200 },
      ],
    });
  });

  it("makes applied changes read back through GET /products/{id}/, and leaves rejected items untouched", async () => {
    await og.patchBatch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "og-green-tea-100", live: false, every: -1 },
    ]);
    const coffee = await og.request("GET", "/products/og-coffee-beans-1kg/");
    expect(coffee.status).toBe(200);
    expect(coffee.body).toMatchObject({ external_product_id: "og-coffee-beans-1kg", live: false });
    const tea = await og.request("GET", "/products/og-green-tea-100/");
    expect(tea.body).toMatchObject({ live: true, every: 4 });
  });

  it("stamps last_update with the fake's clock", async () => {
    og.clock.set(Date.UTC(2026, 10, 23, 8, 30, 0));
    await og.patchBatch([
      { product_id: "og-mug-none", live: false },
      { product_id: "og-granola-500g", live: false },
    ]);
    const granola = await og.request("GET", "/products/og-granola-500g/");
    expect(granola.body).toMatchObject({ last_update: "2026-11-23 08:30:00" });
  });

  it.each([
    ["a missing product_id", { live: false }, null, "product_id: is required"],
    ["a numeric product_id", { product_id: 42, live: false }, null, "product_id: must be string"],
    ["an empty product_id", { product_id: "", live: false }, "", "product_id: must NOT have fewer than 1 characters"],
    ["live as a string", { product_id: "og-mug", live: "false" }, "og-mug", "live: must be boolean"],
    ["live as null", { product_id: "og-mug", live: null }, "og-mug", "live: must be boolean"],
    [
      "a price that is a word",
      { product_id: "og-mug", price: "cheap" },
      "og-mug",
      "price: must be a decimal number such as 15.00 (at most two decimals, 0 to 99999999.99)",
    ],
    [
      "an unknown product_type",
      { product_id: "og-mug", product_type: "box" },
      "og-mug",
      'product_type: must be one of "standard", "bundle", "club", "dynamic price bundle", "static price bundle", "plan"',
    ],
    [
      "premier_enabled as a boolean",
      { product_id: "og-mug", premier_enabled: true },
      "og-mug",
      "premier_enabled: must be integer",
    ],
    [
      "every_period 5",
      { product_id: "og-mug", every_period: 5 },
      "og-mug",
      "every_period: must be one of 1, 2, 3, 4, null",
    ],
    ["a list instead of an object", [["og-mug", false]], null, "each item must be an object; got list"],
    ["null instead of an object", null, null, "each item must be an object; got null"],
  ])("answers 400 for an item with %s, and still applies its neighbours", async (_name, item, id, detail) => {
    const answer = await og.patchBatch([item, { product_id: "og-espresso-pods-50", live: false }]);
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({
      results: [
        { product_id: id, status: 400, detail },
        { product_id: "og-espresso-pods-50", status: 200 },
      ],
    });
    expect(og.running.mock.catalog.get("og-espresso-pods-50")?.live).toBe(false);
  });

  it("applies a product_id repeated in one batch in order: each gets a result, the last one wins", async () => {
    const answer = await og.patchBatch([
      { product_id: "og-laundry-pods-60", live: false },
      { product_id: "og-laundry-pods-60", live: true },
    ]);
    expect(answer.body).toEqual({
      results: [
        { product_id: "og-laundry-pods-60", status: 200 },
        { product_id: "og-laundry-pods-60", status: 200 },
      ],
    });
    expect(og.running.mock.catalog.get("og-laundry-pods-60")?.live).toBe(true);
  });

  it("answers an empty list with an empty result list", async () => {
    const answer = await og.patchBatch([]);
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual({ results: [] });
  });

  it("accepts exactly 100 items", async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ product_id: `p-${i}`, live: false }));
    const answer = await og.patchBatch(items);
    expect(answer.status).toBe(207);
    expect((answer.body as { results: unknown[] }).results).toHaveLength(100);
  });

  it("updates every documented field", async () => {
    const fields = {
      live: false,
      name: "Coffee, 1 kg, new recipe",
      price: "25.49",
      sku: "COF-1KG-B",
      discontinued: true,
      image_url: null,
      detail_url: "https://shop.example.com/p/c",
      autoship_enabled: false,
      prepaid_eligible: true,
      autoship_by_default: true,
      product_type: "bundle",
      every: 2,
      every_period: 3,
      extra_data: '{"roast":"dark"}',
      offer_profile: "op-1",
      incentive_group: "ig-2",
    };
    const answer = await og.patchBatch([{ product_id: "og-coffee-beans-1kg", ...fields }]);
    expect(answer.body).toEqual({ results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] });
    const read = await og.request("GET", "/products/og-coffee-beans-1kg/");
    expect(read.body).toMatchObject(fields);
  });
});

describe("answer forms", () => {
  const items = [
    { product_id: "og-coffee-beans-1kg", live: false },
    { product_id: "nope", live: false },
  ];

  it("answers 200 instead of 207 when told to", async () => {
    og.running.mock.setAnswer({ batchStatus: 200 });
    const answer = await og.patchBatch(items);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ results: [{ status: 200 }, { status: 404 }] });
  });

  it("answers the article's list form, one {results} object per item, when told to", async () => {
    og.running.mock.setAnswer({ batchForm: "list" });
    const answer = await og.patchBatch(items);
    expect(answer.status).toBe(207);
    expect(answer.body).toEqual([
      { results: [{ product_id: "og-coffee-beans-1kg", status: 200 }] },
      { results: [{ product_id: "nope", status: 404, detail: 'no product with product_id "nope" for this merchant' }] },
    ]);
  });

  it("is switched at run time through the admin API, and a bad setting changes nothing", async () => {
    const bad = await og.admin("PATCH", "settings", { answer: { batchStatus: 201 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ detail: "Admin API: invalid settings: answer.batchStatus: must be one of 200, 207." });
    const ok = await og.admin("PATCH", "settings", { answer: { batchStatus: 200, batchForm: "list" } });
    expect(ok.body).toMatchObject({ answer: { batchStatus: 200, batchForm: "list" } });
    const answer = await og.patchBatch(items);
    expect(answer.status).toBe(200);
    expect(Array.isArray(answer.body)).toBe(true);
  });
});
