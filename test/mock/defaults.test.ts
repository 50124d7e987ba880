import { describe, expect, it } from "vitest";
import { Catalog, CatalogError } from "../../mock-server/core/products/catalog.js";
import { ManualClock } from "../../mock-server/core/clock.js";
import { defaultCatalog } from "../../mock-server/core/products/default-catalog.js";
import { createOrdergrooveMock } from "../../mock-server/core/mock.js";

describe("the embedded default catalog", () => {
  // The fake seeds it without running the validator (a faster start): this is the check it skips.
  it("passes the spec's Product schema, product by product", () => {
    const clock = new ManualClock();
    const checked = new Catalog("m", clock, defaultCatalog);
    expect(checked.size).toBe(defaultCatalog.length);
    expect(new Catalog("m", clock, defaultCatalog, true).list()).toEqual(checked.list());
  });

  it("is the only seed the fake trusts: a seed given by the user is still checked", () => {
    const bad = [{ external_product_id: "x", price: "nine" }];
    expect(() => createOrdergrooveMock({ products: bad as never })).toThrow(CatalogError);
    expect(createOrdergrooveMock().catalog.size).toBe(defaultCatalog.length);
  });
});

describe("the default credentials", () => {
  it("are each fake's own copy: a key rotated in place in one fake changes no other, nor the defaults", async () => {
    const { DEFAULT_CREDENTIALS } = await import("../../mock-server/core/options.js");
    const one = createOrdergrooveMock();
    const two = createOrdergrooveMock();
    one.options.credentials.apiUsers[0]!.hashKey = "rotated";
    one.options.credentials.apiKeys[0] = "rotated";
    expect(two.options.credentials.apiUsers[0]!.hashKey).toBe("og-mock-hash-key");
    expect(two.options.credentials.apiKeys).toEqual(["og-mock-api-key"]);
    expect(DEFAULT_CREDENTIALS.apiUsers[0]!.hashKey).toBe("og-mock-hash-key");
    expect(DEFAULT_CREDENTIALS.apiKeys).toEqual(["og-mock-api-key"]);
  });
});

describe("the embedded default catalog, trusted without the validator", () => {
  it("cannot be changed at run time, not even a product's groups", () => {
    expect(Object.isFrozen(defaultCatalog)).toBe(true);
    for (const product of defaultCatalog) {
      expect(Object.isFrozen(product)).toBe(true);
      for (const group of product.groups ?? []) expect(Object.isFrozen(group)).toBe(true);
    }
    expect(() => {
      (defaultCatalog[0] as { price?: string }).price = "nine";
    }).toThrow(TypeError);
  });
});
