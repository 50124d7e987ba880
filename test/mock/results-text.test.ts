/**
 * A batch answer's text is written directly (mock-server/core/products/results-text.ts), not by
 * JSON.stringify: it must be exactly what JSON.stringify writes, for any result and for what the
 * batch routes really answer, or clients would read a different answer than the journal shows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMerchants } from "../../mock-server/core/merchants/merchants.js";
import { resultsText } from "../../mock-server/core/products/results-text.js";
import { signedHeaders } from "../../shared/auth/signature.js";

/** Any text: quotes, backslashes, control characters, lone surrogates, emoji. */
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("", 'a"b', "a\\b", "\u0000", "\n", "\ud800", "x\udfffy", "😀", "é", "og-coffee-beans-1kg"),
);

const result = fc.oneof(
  // As the batch routes make them: product_id, status[, detail], in that order.
  fc.record({ product_id: fc.oneof(text, fc.constant(null)), status: fc.constantFrom(200, 400, 404) }),
  fc.record({
    product_id: fc.oneof(text, fc.constant(null)),
    status: fc.constantFrom(200, 400, 404),
    detail: text,
  }),
  // Anything else must still come out as JSON.stringify writes it.
  fc.record({ status: fc.integer(), product_id: text }),
  fc.record({ product_id: text, status: fc.oneof(fc.double(), fc.constant(-0)), detail: fc.constant(undefined) }),
  fc.record({ product_id: text, status: fc.integer(), detail: fc.integer() }),
  fc.record({ product_id: text, status: fc.integer(), detail: text, errors: fc.array(text, { maxLength: 2 }) }),
  fc.record({ product_id: fc.integer(), status: fc.integer() }),
);

describe("a batch answer's text", () => {
  it("is exactly JSON.stringify({ results }) for any results", () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 12 }), (results) => {
        expect(resultsText(results as never)).toBe(JSON.stringify({ results }));
      }),
      { numRuns: 500 },
    );
  });

  it("is what the batch routes send for updates and creates of any items", () => {
    const front = createMerchants({ throttle: false, ipLimit: false });
    const headers = () => ({
      "content-type": "application/json",
      ...signedHeaders(
        { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" },
        Math.floor(Date.now() / 1000),
      ),
    });
    const item = fc.oneof(
      fc.record({
        product_id: fc.oneof(text, fc.constantFrom("og-coffee-beans-1kg", "x".repeat(300))),
        live: fc.boolean(),
      }),
      fc.record({ product_id: text, live: text }),
      fc.record({ product_id: text, price: fc.oneof(text, fc.double()), name: text }, { requiredKeys: ["product_id"] }),
      fc.constantFrom(null, 3, "x", [1]),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.constantFrom("update", "create"), (items, kind) => {
        const answer = front.handle({
          method: kind === "update" ? "PATCH" : "POST",
          path: `/products-batch/${kind}/`,
          headers: headers(),
          body: JSON.stringify(items),
        });
        expect(answer.status).toBe(207);
        expect(answer.text).toBe(JSON.stringify(answer.body));
      }),
      { numRuns: 200 },
    );
  });
});
