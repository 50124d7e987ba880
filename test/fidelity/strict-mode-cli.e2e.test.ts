/** og-mock --strict in its own process; strict-mode.test.ts has the same in-process, through MSW. */
import { describe, expect, it } from "vitest";
import { startOgMock } from "../helpers/spawn.js";

const item = [{ product_id: "og-coffee-beans-1kg", live: false, lve: true }];
const headers = { "content-type": "application/json", "x-api-key": "og-mock-api-key" };

describe("og-mock --strict", () => {
  it("refuses an item with an unknown field per item", async () => {
    const fake = await startOgMock(["--port", "0", "--strict", "--log-level", "silent"]);
    try {
      const res = await fetch(`${fake.url}/products-batch/update/`, {
        method: "PATCH",
        headers,
        body: JSON.stringify(item),
      });
      expect(await res.json()).toEqual({
        results: [
          {
            product_id: "og-coffee-beans-1kg",
            status: 400,
            detail: "lve: is not a known product field (strict mode refuses fields the spec does not know)",
          },
        ],
      });
    } finally {
      await fake.stop();
    }
  });
});
