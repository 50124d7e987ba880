/** The compiled quick item checks only ever vouch for items the spec's full validator accepts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quickCheck } from "../../shared/validation/quick-checks.js";
import { schemaValidator } from "../../shared/validation/schemas.js";

const value = fc.oneof(
  fc.boolean(),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 260 }),
  fc.constantFrom("", "x".repeat(255), "x".repeat(256), "😀".repeat(200), "9.99", "abc"),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const key = fc.constantFrom(
  "product_id",
  "live",
  "name",
  "price",
  "sku",
  "lve",
  "__proto__",
  "every",
  "discontinued",
  "image_url",
);
const item = fc.oneof(fc.dictionary(key, value, { maxKeys: 4 }), value);

describe("quick item checks compiled from the spec", () => {
  for (const schema of ["ProductUpdateItem", "ProductCreateItem"] as const) {
    it(`${schema}: never vouches for an item the full validator refuses`, () => {
      const quick = quickCheck(schema);
      const full = schemaValidator(schema);
      fc.assert(
        fc.property(item, (candidate) => {
          if (quick(candidate)) expect(full(candidate)).toBe(true);
        }),
        { numRuns: 5000 },
      );
    });
  }

  it("vouches for the commonest stock update, so the fake's hot path uses it", () => {
    const quick = quickCheck("ProductUpdateItem");
    expect(quick(JSON.parse('{"product_id": "og-coffee-beans-1kg", "live": false}'))).toBe(true);
    expect(quick({ product_id: "og-coffee-beans-1kg", lve: false })).toBe(false);
    expect(quick({ product_id: "", live: false })).toBe(false);
    expect(quick({ live: false })).toBe(false);
    // Nullable text fields (name, sku) too; a value of the wrong type is left to the validator.
    expect(quick({ product_id: "og-mug", name: null, sku: "MUG-1", live: true })).toBe(true);
    expect(quick({ product_id: "og-mug", name: 3 })).toBe(false);
  });
});
