/**
 * Issue 34, point 7: a merchant's suite, the kit's client and the MSW fake. A valid batch well under
 * the body limit (100 items with 700-character names, about 75 KB) is journaled whole, so the
 * assertions see every item the client sent, also in a batch refused before it was read.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import "../../mock-server/msw/vitest.js";
import { setupOrdergrooveMock } from "../../mock-server/msw/index.js";
import { OrdergrooveClient } from "../../src/client/client.js";

const ids = Array.from({ length: 100 }, (_, i) => `big-${i}`);
const og = setupOrdergrooveMock({ products: ids.map((product_id) => ({ product_id })), throttle: false });
beforeAll(() => og.listen());
afterEach(() => og.reset());
afterAll(() => og.close());

it("a 75 KB batch of 100 products is journaled as sent, and every assertion finds its items", async () => {
  const client = new OrdergrooveClient({
    environment: "production",
    credentials: { kind: "api-key", apiKey: "og-mock-api-key" },
  });
  const items = ids.map((product_id, i) => ({ product_id, live: false, name: `${i}`.padEnd(700, "n") }));
  expect(JSON.stringify(items).length).toBeGreaterThan(70_000);
  const report = await client.updateProducts(items);
  expect(report.ok).toBe(true);
  const [entry] = og.journal();
  expect(entry!.body).toEqual(items);
  for (const id of ids) og.expectSetLive(id, false);
  expect(og).toHaveSetLive("big-99", false);
  expect(og).toHaveReceivedBatches(1);
});

it("a batch refused before it was read (throttled) is journaled as sent, and the assertion says so", async () => {
  og.mock.faults.failNext(429, 1, 120);
  const client = new OrdergrooveClient({
    environment: "production",
    credentials: { kind: "api-key", apiKey: "og-mock-api-key" },
    retry: { maxAttempts: 1 },
  });
  const items = ids.map((product_id) => ({ product_id, live: false, name: "n".repeat(700) }));
  const report = await client.updateProducts(items);
  expect(report.failed).toHaveLength(100);
  expect(og.journal()[0]!.body).toEqual(items);
  expect(() => og.expectSetLive("big-7", false)).toThrow(
    /no batch update applied a live value to it\. It was sent 1 time\(s\) and refused: 429 \(Request was throttled/,
  );
});
