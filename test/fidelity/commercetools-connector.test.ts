/**
 * The fake driven exactly as Ordergroove's own commercetools connector drives Ordergroove:
 * `x-api-key`, `?force_all_fields=false`, items with sku, name, a computed numeric price (100.00
 * goes on the wire as 100), live, image_url and detail_url; a product it does not find with
 * GET /products/{id}/ (any non-2xx) is created with bulk create, then updated with bulk update;
 * any 2xx is success. Each item must answer 200 and the change must read back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../mock-server/core/options.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";

let og: RunningMockServer;
beforeAll(async () => {
  og = await startMockServer({ port: 0 });
});
afterAll(() => og.close());

const headers = { "x-api-key": DEFAULT_CREDENTIALS.apiKeys[0]!, "content-type": "application/json" };

/** The connector's product sync for one commercetools product, as it is written. */
async function syncLikeTheConnector(product: {
  id: string;
  sku: string;
  name: string;
  centAmount: number;
  inStock: boolean;
}) {
  const item = {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    price: product.centAmount / 100,
    live: product.inStock,
    image_url: `https://images.example.com/${product.id}.jpg`,
    detail_url: `https://shop.example.com/p/${product.id}`,
  };
  const exists = await fetch(`${og.url}/products/${encodeURIComponent(product.id)}/`, { headers });
  await exists.text();
  const answers: Array<{ status: number; body: unknown }> = [];
  if (!exists.ok) {
    const created = await fetch(`${og.url}/products-batch/create/?force_all_fields=false`, {
      method: "POST",
      headers,
      body: JSON.stringify([item]),
    });
    answers.push({ status: created.status, body: await created.json() });
  }
  const updated = await fetch(`${og.url}/products-batch/update/?force_all_fields=false`, {
    method: "PATCH",
    headers,
    body: JSON.stringify([item]),
  });
  answers.push({ status: updated.status, body: await updated.json() });
  return answers;
}

describe("the fake driven like Ordergroove's commercetools connector", () => {
  it("creates a missing product, updates it, answers 207 with a 200 per item, and the change reads back", async () => {
    const answers = await syncLikeTheConnector({
      id: "ct-coffee",
      sku: "CT-COFFEE",
      name: "Coffee",
      centAmount: 10000,
      inStock: true,
    });
    expect(answers).toEqual([
      { status: 207, body: { results: [{ product_id: "ct-coffee", status: 200 }] } },
      { status: 207, body: { results: [{ product_id: "ct-coffee", status: 200 }] } },
    ]);
    const again = await syncLikeTheConnector({
      id: "ct-coffee",
      sku: "CT-COFFEE",
      name: "Coffee",
      centAmount: 1250,
      inStock: false,
    });
    expect(again).toEqual([{ status: 207, body: { results: [{ product_id: "ct-coffee", status: 200 }] } }]);
    const read = await fetch(`${og.url}/products/ct-coffee/`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      external_product_id: "ct-coffee",
      sku: "CT-COFFEE",
      name: "Coffee",
      price: "12.50",
      live: false,
      image_url: "https://images.example.com/ct-coffee.jpg",
      detail_url: "https://shop.example.com/p/ct-coffee",
    });
    const paths = og.mock.journal
      .entries()
      .map((e) => `${e.method} ${e.path} ${"status" in e.response ? e.response.status : ""}`);
    expect(paths).toEqual([
      "GET /products/ct-coffee/ 404",
      "POST /products-batch/create/?force_all_fields=false 207",
      "PATCH /products-batch/update/?force_all_fields=false 207",
      "GET /products/ct-coffee/ 200",
      "PATCH /products-batch/update/?force_all_fields=false 207",
      "GET /products/ct-coffee/ 200",
    ]);
    expect(og.mock.journal.entries().every((e) => e.principal?.scheme === "api-key")).toBe(true);
  });
});
