import { describe, expect, it } from "vitest";
import { clientFor } from "../helpers/client.js";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });

describe("client.updateProducts / setLive", () => {
  it("reports updated, not found and invalid items in input order, without throwing", async () => {
    const { client } = clientFor(og);
    const report = await client.updateProducts([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "ghost", live: false },
      { product_id: "og-green-tea-100", live: "no" as unknown as boolean },
    ]);
    expect(report.items.map((i) => [i.productId, i.outcome, i.status])).toEqual([
      ["og-coffee-beans-1kg", "updated", 200],
      ["ghost", "not_found", 404],
      ["og-green-tea-100", "invalid", 400],
    ]);
    expect(report.notFound[0]!.reason).toBe('no product with product_id "ghost" for this merchant');
    expect(report.invalid[0]!.reason).toBe("live: must be boolean");
    expect(report).toMatchObject({ ok: false, requests: 1, retries: 0 });
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  });

  it("splits long lists into batches of 100 and merges results back in input order", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `bulk-${i}`);
    og.running.mock.catalog.upsert(ids.filter((_, i) => i % 7 !== 0).map((id) => ({ external_product_id: id })));
    const { client } = clientFor(og, { concurrency: 3 });
    const progress: number[] = [];
    const report = await client.setLive(ids, false, { onProgress: (done) => progress.push(done) });
    expect(report.items).toHaveLength(250);
    expect(report.items.map((i) => i.productId)).toEqual(ids);
    expect(report.items.map((i) => i.outcome)).toEqual(ids.map((_, i) => (i % 7 === 0 ? "not_found" : "updated")));
    expect(report.requests).toBe(3);
    const sizes = og.running.mock.journal.entries().map((e) => (e.body as unknown[]).length);
    expect(sizes.sort()).toEqual([100, 100, 50]);
    expect(progress.at(-1)).toBe(250);
  });

  it.each([
    [207, "object"],
    [200, "object"],
    [207, "list"],
    [200, "list"],
  ] as const)("reads the %i answer in the %s form", async (batchStatus, batchForm) => {
    og.running.mock.setAnswer({ batchStatus, batchForm });
    const { client } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg", "ghost"], false);
    expect(report.items.map((i) => i.outcome)).toEqual(["updated", "not_found"]);
  });

  it("authenticates with an API key too", async () => {
    const { client } = clientFor(og, { credentials: { kind: "api-key", apiKey: API_KEY } });
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report.ok).toBe(true);
    expect(og.running.mock.journal.entries()[0]!.principal).toEqual({ scheme: "api-key", key: 0 });
  });

  it("sends nothing for an empty list", async () => {
    const { client } = clientFor(og);
    const report = await client.setLive([], false);
    expect(report).toMatchObject({ items: [], requests: 0, ok: true });
    expect(og.running.mock.journal.total).toBe(0);
  });

  it("refuses bad input before sending anything", async () => {
    const { client } = clientFor(og);
    expect(() => client.setLive("og-mug" as unknown as string[], false)).toThrow(
      "setLive: productIds must be a list of product ids.",
    );
    expect(() => client.setLive(["og-mug"], "false" as unknown as boolean)).toThrow(
      'setLive: live must be true or false; got "false".',
    );
    await expect(client.getProduct("")).rejects.toThrow('getProduct: productId must be a non-empty string; got "".');
    expect(og.running.mock.journal.total).toBe(0);
  });
});

describe("client single-product calls", () => {
  it("reads a product, and null for an unknown one", async () => {
    const { client } = clientFor(og);
    expect(await client.getProduct("og-coffee-beans-1kg")).toMatchObject({
      external_product_id: "og-coffee-beans-1kg",
      live: true,
    });
    expect(await client.getProduct("ghost")).toBeNull();
  });

  it("updates one product with an API key (the only scope Ordergroove takes there)", async () => {
    const { client } = clientFor(og, { credentials: { kind: "api-key", apiKey: API_KEY } });
    expect(await client.updateProduct("og-coffee-beans-1kg", { live: false, price: 15 })).toMatchObject({
      live: false,
      price: "15.00",
    });
    expect(await client.updateProduct("ghost", { live: false })).toBeNull();
  });

  it("refuses to send a single-product update signed with HMAC, saying what to use instead", async () => {
    const { client } = clientFor(og);
    const before = og.running.mock.journal.total;
    await expect(client.updateProduct("og-coffee-beans-1kg", { live: false })).rejects.toThrow(
      /takes an x-api-key only.*updateProducts/,
    );
    expect(og.running.mock.journal.total).toBe(before);
  });

  it("creates products in bulk", async () => {
    const { client } = clientFor(og);
    const report = await client.createProducts([
      { product_id: "new-a", name: "A", price: "1.00" },
      { product_id: "og-coffee-beans-1kg", name: "dup", price: "1.00" },
    ]);
    expect(report.items.map((i) => i.outcome)).toEqual(["updated", "invalid"]);
    expect(await client.getProduct("new-a")).toMatchObject({ name: "A" });
  });
});
