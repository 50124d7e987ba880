/**
 * Strict mode, the way users switch it on: `og-mock --strict` (or OG_MOCK_STRICT=1) and
 * `setupOrdergrooveMock({ strict: true })`. Without it, the same item applies and is warned about (fake-fidelity.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";
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

describe("setupOrdergrooveMock({ strict })", () => {
  const strict = setupOrdergrooveMock({ strict: true, throttle: false, onUnhandledRequest: "bypass" });
  beforeAll(() => strict.listen());
  afterAll(() => strict.close());

  it("refuses unknown fields per item and changes nothing for that item", async () => {
    const res = await fetch("https://restapi.ordergroove.com/products-batch/update/", {
      method: "PATCH",
      headers,
      body: JSON.stringify(item),
    });
    const body = (await res.json()) as { results: Array<{ status: number }> };
    expect(body.results[0]!.status).toBe(400);
    expect(strict.product("og-coffee-beans-1kg")?.live).toBe(true);
  });
});
