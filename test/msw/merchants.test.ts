import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";
import { OrdergrooveClient } from "../../src/client/client.js";

const og = setupOrdergrooveMock({
  throttle: false,
  merchants: [
    {
      credentials: { publicId: "acme", apiUsers: [{ sigField: "acme-api", hashKey: "acme-hash" }], apiKeys: [] },
      products: [{ product_id: "sku-1", name: "Anvil", price: "10.00" }],
    },
    {
      credentials: { publicId: "globex", apiUsers: [], apiKeys: ["globex-key"] },
      products: [{ product_id: "sku-1", name: "Globe", price: "20.00" }],
    },
  ],
});
// What a test file does when it shares a fake with others: its own merchant, its own catalog.
const mine = og.addMerchant({
  credentials: { publicId: "this-test-file", apiUsers: [], apiKeys: ["this-file-key"] },
  products: [{ product_id: "sku-1", name: "Mine", price: "1.00" }],
});
beforeAll(() => og.listen());
afterEach(() => og.reset());
afterAll(() => og.close());

const client = (credentials: ConstructorParameters<typeof OrdergrooveClient>[0]["credentials"]) =>
  new OrdergrooveClient({ environment: "production", credentials, rateLimit: false });

describe("setupOrdergrooveMock with several merchants", () => {
  it("keeps each merchant's catalog and journal to itself", async () => {
    const acme = client({ kind: "hmac", publicId: "acme", sigField: "acme-api", hashKey: "acme-hash" });
    expect((await acme.setLive(["sku-1"], false)).ok).toBe(true);
    og.merchant("acme").expectSetLive("sku-1", false);
    og.merchant("globex").expectProductLive("sku-1", true);
    mine.expectProductLive("sku-1", true);
    expect(og.merchant("globex").journal()).toEqual([]);
    expect(og.mock).toBe(og.merchant("acme").mock); // `mock` is the first merchant

    const globex = client({ kind: "api-key", apiKey: "globex-key" });
    expect(await globex.getProduct("sku-1")).toMatchObject({ merchant: "globex", name: "Globe" });
    expect(() => og.merchant("initech")).toThrow(
      /No merchant with public id "initech"; merchants: acme, globex, this-test-file/,
    );
  });

  it("gives a test file its own merchant that survives reset, back at its seed", async () => {
    const own = client({ kind: "api-key", apiKey: "this-file-key" });
    expect((await own.setLive(["sku-1"], false)).ok).toBe(true);
    mine.expectSetLive("sku-1", false);
    mine.expectBatchRequests(1);
    og.reset();
    expect(mine.product("sku-1")!.live).toBe(true);
    expect(mine.journal()).toEqual([]);
    expect(await own.getProduct("sku-1")).toMatchObject({ merchant: "this-test-file", name: "Mine" });
  });

  it("applies the per-IP limit to the one address MSW requests come from", async () => {
    og.merchants.setIpLimit({ limit: 2 });
    const globex = client({ kind: "api-key", apiKey: "globex-key" });
    const res = [];
    for (let i = 0; i < 3; i++) {
      res.push(
        await fetch("https://restapi.ordergroove.com/products/sku-1/", { headers: { "x-api-key": "globex-key" } }),
      );
    }
    expect(res.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(res[2]!.headers.get("retry-after")).toBeNull();
    og.reset(); // back to the configured limit (6,000/min), windows fresh
    expect(await globex.getProduct("sku-1")).toMatchObject({ name: "Globe" });
  });
});
