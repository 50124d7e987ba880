// `import "ordergroove-stock-kit/vitest"` registers and types the matchers. The types are checked
// by `tsc --noEmit -p .` (npm test): a misspelled matcher must be an error, so each expected
// error below fails the typecheck the day it stops being one.
import { afterAll, beforeAll, expect, it } from "vitest";
import "../../mock-server/msw/vitest.js";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";

const og = setupOrdergrooveMock();
beforeAll(() => og.listen());
afterAll(() => og.close());

it("registers the matchers with one import, typed", async () => {
  await fetch("https://restapi.ordergroove.com/products-batch/update/", {
    method: "PATCH",
    headers: { "content-type": "application/json", "x-api-key": "og-mock-api-key" },
    body: JSON.stringify([{ product_id: "og-coffee-beans-1kg", live: false }]),
  });
  expect(og).toHaveSetLive("og-coffee-beans-1kg", false);
  expect(og).toHaveReceivedBatches(1);
  expect(og).not.toHaveSetLive("og-coffee-beans-1kg", true);
  // @ts-expect-error -- a misspelled matcher does not type-check
  expect(() => expect(og).toHaveSetLiv("og-coffee-beans-1kg", false)).toThrow();
  // @ts-expect-error -- nor do wrong arguments
  expect(() => expect(og).toHaveReceivedBatches("one")).toThrow();
});
