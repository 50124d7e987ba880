/**
 * Strict mode, the way users switch it on: `og-mock --strict` (or OG_MOCK_STRICT=1) and
 * `setupOrdergrooveMock({ strict: true })`. Without it, the same item applies and is warned about (fake-fidelity.test.ts).
 * og-mock --strict, in its own process, is in strict-mode-cli.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";

const item = [{ product_id: "og-coffee-beans-1kg", live: false, lve: true }];
const headers = { "content-type": "application/json", "x-api-key": "og-mock-api-key" };

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
